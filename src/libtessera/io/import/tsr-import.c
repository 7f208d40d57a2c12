/* tsr-import.c — importing a batch of files into a project
 *
 * An import happens in two steps, on two threads:
 *
 *  1. Reading (tsr_importer_read(), or _async in a worker thread): each
 *     file is loaded, its format told by its content, and its text
 *     extracted — or, for a spreadsheet, its rows turned into documents.
 *     This step never touches the project, so it needs no database
 *     connection and cannot leave anything half done; cancelling it
 *     simply stops.
 *
 *  2. Committing (tsr_importer_commit(), on the thread that owns the
 *     project): the documents are added through the operations layer,
 *     each file as one edit that is rolled back whole if any part of it
 *     fails, and the batch as one undoable group.
 *
 * SQLite connections must not be shared between threads, and every edit
 * must be recorded in the history by the project's own connection;
 * writing on the project's thread keeps both true.  The slow part —
 * unzipping, parsing XML, laying out PDF text — is in step 1; adding a
 * thousand documents takes a fraction of a second (see
 * tools/tsr-import-benchmark.c).
 *
 * Duplicates (the same text as a document already in the project, or
 * earlier in the batch) are flagged, not added, unless the caller asks
 * for them in a second commit.  A spreadsheet row is a duplicate only
 * when its name matches too: two respondents may well both answer "No".
 *
 * This file is the importer (the batch, reading it, committing it); a
 * file of the batch is a TsrImportItem (tsr-import-item.c), and telling
 * and reading formats is in tsr-import-format.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "tsr-error.h"
#include "tsr-import-private.h"
#include "tsr-import-item-private.h"
#include "tsr-project-private.h"
#include "tsr-text-import.h"

/* The importer --------------------------------------------------------------- */

struct _TsrImporter
{
  GObject     parent_instance;

  GListStore *items;
  gboolean    reading;
};

G_DEFINE_FINAL_TYPE (TsrImporter, tsr_importer, G_TYPE_OBJECT)

static void
tsr_importer_finalize (GObject *object)
{
  TsrImporter *self = TSR_IMPORTER (object);

  g_clear_object (&self->items);
  G_OBJECT_CLASS (tsr_importer_parent_class)->finalize (object);
}

static void
tsr_importer_class_init (TsrImporterClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = tsr_importer_finalize;
}

static void
tsr_importer_init (TsrImporter *self)
{
  self->items = g_list_store_new (TSR_TYPE_IMPORT_ITEM);
}

TsrImporter *
tsr_importer_new (void)
{
  return g_object_new (TSR_TYPE_IMPORTER, NULL);
}

/**
 * tsr_importer_add_file:
 *
 * Returns: (transfer none): the file's item, to set spreadsheet choices
 *   on and to read the outcome from
 */
TsrImportItem *
tsr_importer_add_file (TsrImporter *self,
                       GFile       *file)
{
  g_autoptr(TsrImportItem) item = NULL;

  g_return_val_if_fail (TSR_IS_IMPORTER (self), NULL);
  g_return_val_if_fail (G_IS_FILE (file), NULL);
  g_return_val_if_fail (!self->reading, NULL);

  item = g_object_new (TSR_TYPE_IMPORT_ITEM, NULL);
  item->file = g_object_ref (file);
  item->display_name = g_file_get_basename (file);
  if (item->display_name == NULL)
    item->display_name = g_file_get_uri (file);
  g_list_store_append (self->items, item);
  return item;
}

/**
 * tsr_importer_get_items:
 *
 * Returns: (transfer none): the #TsrImportItem of each file, in the order
 *   they were added
 */
GListModel *
tsr_importer_get_items (TsrImporter *self)
{
  g_return_val_if_fail (TSR_IS_IMPORTER (self), NULL);
  return G_LIST_MODEL (self->items);
}

guint
tsr_importer_count (TsrImporter     *self,
                    TsrImportStatus  status)
{
  guint n = 0;

  g_return_val_if_fail (TSR_IS_IMPORTER (self), 0);
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (self->items)); i++)
    {
      g_autoptr(TsrImportItem) item = g_list_model_get_item (G_LIST_MODEL (self->items), i);

      if (item->status == status)
        n++;
    }
  return n;
}

/**
 * tsr_importer_read:
 * @progress: (scope call) (nullable): called before each file
 *
 * Reads every file not read yet, in the calling thread; touches no
 * project, so it may run in a worker thread.  A file that cannot be
 * read is marked failed and the others are still read.
 *
 * Returns: %FALSE only when cancelled (%TSR_ERROR_CANCELLED)
 */
gboolean
tsr_importer_read (TsrImporter            *self,
                   GCancellable           *cancellable,
                   TsrImportProgressFunc   progress,
                   gpointer                user_data,
                   GError                **error)
{
  guint n;

  g_return_val_if_fail (TSR_IS_IMPORTER (self), FALSE);

  n = g_list_model_get_n_items (G_LIST_MODEL (self->items));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(TsrImportItem) item = g_list_model_get_item (G_LIST_MODEL (self->items), i);

      if (tsr_import_check_cancelled (cancellable, error))
        return FALSE;
      if (item->status != TSR_IMPORT_PENDING)
        continue;
      if (progress != NULL)
        progress (i, n, item->display_name, user_data);
      if (!_tsr_import_item_read (item, cancellable, error))
        return FALSE;
    }
  if (progress != NULL)
    progress (n, n, NULL, user_data);
  return TRUE;
}

typedef struct
{
  gatomicrefcount        ref_count;
  TsrImportProgressFunc  func;
  gpointer               data;
  GDestroyNotify         destroy;
  GMainContext          *context;
} Progress;

typedef struct
{
  Progress *progress;
  guint     done;
  guint     total;
  char     *current;
} ProgressReport;

static Progress *
progress_ref (Progress *p)
{
  g_atomic_ref_count_inc (&p->ref_count);
  return p;
}

static void
progress_unref (Progress *p)
{
  if (g_atomic_ref_count_dec (&p->ref_count))
    {
      if (p->destroy != NULL)
        p->destroy (p->data);
      if (p->context != NULL)
        g_main_context_unref (p->context);
      g_free (p);
    }
}

static gboolean
deliver_progress (gpointer data)
{
  ProgressReport *report = data;

  report->progress->func (report->done, report->total, report->current, report->progress->data);
  return G_SOURCE_REMOVE;
}

static void
progress_report_free (gpointer data)
{
  ProgressReport *report = data;

  progress_unref (report->progress);
  g_free (report->current);
  g_free (report);
}

/* In the worker: hands the report to the caller's main context. */
static void
report_progress (guint       done,
                 guint       total,
                 const char *current,
                 gpointer    user_data)
{
  Progress *p = user_data;
  ProgressReport *report;

  if (p->func == NULL)
    return;
  report = g_new0 (ProgressReport, 1);
  report->progress = progress_ref (p);
  report->done = done;
  report->total = total;
  report->current = g_strdup (current);
  g_main_context_invoke_full (p->context, G_PRIORITY_DEFAULT, deliver_progress, report,
                              progress_report_free);
}

static void
read_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  TsrImporter *self = source_object;
  GError *error = NULL;

  if (tsr_importer_read (self, cancellable, report_progress, task_data, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/**
 * tsr_importer_read_async:
 * @progress: (nullable): called in the caller's main context before each
 *   file
 *
 * Reads the files in a worker thread.  Until the read finishes, do not
 * add files or look at the items.
 */
void
tsr_importer_read_async (TsrImporter           *self,
                         GCancellable          *cancellable,
                         TsrImportProgressFunc  progress,
                         gpointer               progress_data,
                         GDestroyNotify         progress_destroy,
                         GAsyncReadyCallback    callback,
                         gpointer               user_data)
{
  g_autoptr(GTask) task = NULL;
  Progress *p;

  g_return_if_fail (TSR_IS_IMPORTER (self));
  g_return_if_fail (!self->reading);

  p = g_new0 (Progress, 1);
  g_atomic_ref_count_init (&p->ref_count);
  p->func = progress;
  p->data = progress_data;
  p->destroy = progress_destroy;
  p->context = g_main_context_ref_thread_default ();

  self->reading = TRUE;
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tsr_importer_read_async);
  /* Cancellation is reported as TSR_ERROR_CANCELLED, like every error. */
  g_task_set_check_cancellable (task, FALSE);
  g_task_set_task_data (task, p, (GDestroyNotify) progress_unref);
  g_task_run_in_thread (task, read_thread);
}

gboolean
tsr_importer_read_finish (TsrImporter   *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (TSR_IS_IMPORTER (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  self->reading = FALSE;
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Committing ----------------------------------------------------------------- */

typedef struct
{
  /* content hash → the name of a document with that text */
  GHashTable *by_hash;
  /* "name\nhash" */
  GHashTable *by_name_and_hash;
} Known;

static void
known_add (Known      *known,
           const char *name,
           const char *hash)
{
  if (!g_hash_table_contains (known->by_hash, hash))
    g_hash_table_insert (known->by_hash, g_strdup (hash), g_strdup (name));
  g_hash_table_add (known->by_name_and_hash, g_strconcat (name, "\n", hash, NULL));
}

static const char *
known_duplicate (Known            *known,
                 TsrImportItem    *item,
                 PreparedDocument *d)
{
  if (item->table != NULL)
    {
      g_autofree char *key = g_strconcat (d->name, "\n", d->hash, NULL);

      return g_hash_table_contains (known->by_name_and_hash, key) ? d->name : NULL;
    }
  return g_hash_table_lookup (known->by_hash, d->hash);
}

static gboolean
attribute_accepts (TsrAttributeType existing,
                   TsrAttributeType column)
{
  return existing == column || existing == TSR_ATTRIBUTE_TEXT ||
         (existing == TSR_ATTRIBUTE_REAL && column == TSR_ATTRIBUTE_INTEGER);
}

static const char *
type_description (TsrAttributeType type)
{
  switch (type)
    {
    case TSR_ATTRIBUTE_INTEGER: return _("whole numbers");
    case TSR_ATTRIBUTE_REAL: return _("numbers");
    case TSR_ATTRIBUTE_BOOLEAN: return _("yes or no");
    case TSR_ATTRIBUTE_DATE: return _("dates");
    case TSR_ATTRIBUTE_TEXT:
    default:
      return _("text");
    }
}

/* Defines (or finds) the attributes of a spreadsheet's other columns and
 * sets the new documents' values. */
static gboolean
add_attributes (TsrImportItem  *item,
                TsrProject     *project,
                GPtrArray      *added,
                GError        **error)
{
  TsrImportTable *table = item->table;

  for (guint c = 0; c < tsr_import_table_get_n_columns (table); c++)
    {
      const char *header = tsr_import_table_get_header (table, c);
      TsrAttributeType type = tsr_import_table_get_column_type (table, c);
      g_autoptr(TsrAttribute) existing = NULL;
      gint64 attribute_id;

      if ((gint) c == item->used_text_column || (gint) c == item->used_id_column)
        continue;

      existing = tsr_project_find_attribute (project, TSR_ATTRIBUTE_ON_DOCUMENTS, header);
      if (existing != NULL)
        {
          TsrAttributeType existing_type = tsr_attribute_get_value_type (existing);

          if (!attribute_accepts (existing_type, type))
            {
              g_set_error (error, TSR_ERROR, TSR_ERROR_INVALID,
                           _("The column “%s” of “%s” holds %s, but the project’s attribute "
                             "“%s” holds %s"),
                           header, item->display_name, type_description (type),
                           tsr_attribute_get_name (existing), type_description (existing_type));
              return FALSE;
            }
          attribute_id = tsr_entity_get_id (TSR_ENTITY (existing));
        }
      else
        {
          attribute_id = tsr_project_define_attribute (project, TSR_ATTRIBUTE_ON_DOCUMENTS,
                                                       header, type, error);
          if (attribute_id == 0)
            return FALSE;
        }

      for (guint i = 0; i < added->len; i++)
        {
          PreparedDocument *d = added->pdata[i];
          g_autofree char *value = g_strdup (tsr_import_table_get_cell (table, d->row, c));

          g_strstrip (value);
          if (*value == '\0')
            continue;
          if (!tsr_project_set_attribute_value (project, attribute_id, d->id, value, error))
            {
              g_prefix_error (error, _("“%s”, row %u: "), item->display_name,
                              tsr_import_table_get_row_number (table, d->row));
              return FALSE;
            }
        }
    }
  return TRUE;
}

/* Adds one file's documents as one edit; on failure nothing of the file
 * stays in the project. */
static gboolean
commit_item (TsrImportItem  *item,
             TsrProject     *project,
             GPtrArray      *to_add,
             GError        **error)
{
  g_autofree char *description = g_strdup_printf (_("Import “%s”"), item->display_name);
  g_autofree char *source = g_file_get_path (item->file);
  gboolean ok = TRUE;

  if (source == NULL)
    source = g_file_get_uri (item->file);

  if (!_tsr_project_op_begin (project, TSR_CHANGE_DOCUMENTS | TSR_CHANGE_ATTRIBUTES,
                              "document.import", g_strdup (description), error))
    return FALSE;

  for (guint i = 0; ok && i < to_add->len; i++)
    {
      PreparedDocument *d = to_add->pdata[i];

      d->id = tsr_project_add_document (project, d->name, d->text, source, error);
      ok = d->id > 0;
    }
  if (ok && item->table != NULL)
    ok = add_attributes (item, project, to_add, error);

  if (!_tsr_project_op_end (project, ok, ok ? error : NULL) || !ok)
    {
      for (guint i = 0; i < to_add->len; i++)
        ((PreparedDocument *) to_add->pdata[i])->id = 0;
      return FALSE;
    }
  return TRUE;
}

static void
update_status (TsrImportItem *item)
{
  if (item->status == TSR_IMPORT_FAILED || item->status == TSR_IMPORT_PENDING)
    return;
  if (_tsr_import_item_count_documents (item, TRUE, FALSE) > 0)
    item->status = TSR_IMPORT_IMPORTED;
  else if (_tsr_import_item_count_documents (item, FALSE, TRUE) > 0)
    item->status = TSR_IMPORT_DUPLICATE;
}

/**
 * tsr_importer_commit:
 * @project: the project to add the documents to; call from its thread
 * @include_duplicates: also add the documents found to be duplicates
 *   (by an earlier commit)
 *
 * Adds the documents read.  Each file is one edit — if any part of it
 * fails, nothing of it is added and its item says why — and all files
 * together are one step to undo.  Without @include_duplicates, a
 * document whose text is already in the project or earlier in the
 * batch is marked a duplicate and left out.
 *
 * Returns: the number of documents added; 0 with @error set only when
 *   the project itself could not be written
 */
guint
tsr_importer_commit (TsrImporter  *self,
                     TsrProject   *project,
                     gboolean      include_duplicates,
                     GError      **error)
{
  g_autoptr(GListModel) documents = NULL;
  g_autoptr(GPtrArray) plans = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  g_autoptr(GPtrArray) plan_items = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GString) label = NULL;
  Known known;
  guint n_items, n_files = 0, n_added = 0;
  GError *group_error = NULL;

  g_return_val_if_fail (TSR_IS_IMPORTER (self), 0);
  g_return_val_if_fail (TSR_IS_PROJECT (project), 0);
  g_return_val_if_fail (!self->reading, 0);

  known.by_hash = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  known.by_name_and_hash = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  documents = tsr_project_get_documents (project);
  for (guint i = 0; i < g_list_model_get_n_items (documents); i++)
    {
      g_autoptr(TsrDocument) doc = g_list_model_get_item (documents, i);

      known_add (&known, tsr_document_get_name (doc), tsr_document_get_content_hash (doc));
    }

  /* First decide, without writing, what each file adds. */
  n_items = g_list_model_get_n_items (G_LIST_MODEL (self->items));
  for (guint i = 0; i < n_items; i++)
    {
      g_autoptr(TsrImportItem) item = g_list_model_get_item (G_LIST_MODEL (self->items), i);
      g_autoptr(GPtrArray) to_add = g_ptr_array_new ();

      if (item->status != TSR_IMPORT_READY && item->status != TSR_IMPORT_IMPORTED &&
          item->status != TSR_IMPORT_DUPLICATE)
        continue;

      for (guint k = 0; k < item->documents->len; k++)
        {
          PreparedDocument *d = item->documents->pdata[k];
          const char *original;

          if (d->imported || (d->duplicate && !include_duplicates))
            continue;
          original = include_duplicates ? NULL : known_duplicate (&known, item, d);
          if (original != NULL)
            {
              d->duplicate = TRUE;
              g_free (d->duplicate_of);
              d->duplicate_of = g_strdup (original);
              continue;
            }
          g_ptr_array_add (to_add, d);
          known_add (&known, d->name, d->hash);
        }

      if (to_add->len > 0)
        {
          g_ptr_array_add (plans, g_steal_pointer (&to_add));
          g_ptr_array_add (plan_items, g_object_ref (item));
        }
      update_status (item);
    }

  g_hash_table_unref (known.by_hash);
  g_hash_table_unref (known.by_name_and_hash);

  if (plans->len == 0)
    return 0;

  label = g_string_new (NULL);
  if (plans->len == 1)
    g_string_printf (label, _("Import “%s”"),
                     tsr_import_item_get_display_name (plan_items->pdata[0]));
  else
    g_string_printf (label, g_dngettext (GETTEXT_PACKAGE, "Import %u file", "Import %u files",
                                         plans->len),
                     plans->len);

  tsr_project_begin_group (project, label->str);
  for (guint i = 0; i < plans->len; i++)
    {
      TsrImportItem *item = plan_items->pdata[i];
      GPtrArray *to_add = plans->pdata[i];
      GError *item_error = NULL;

      if (!commit_item (item, project, to_add, &item_error))
        {
          _tsr_import_item_fail (item, item_error);
          continue;
        }
      n_files++;
      for (guint k = 0; k < to_add->len; k++)
        {
          PreparedDocument *d = to_add->pdata[k];

          d->imported = TRUE;
          d->duplicate = FALSE;
          n_added++;
        }
      update_status (item);
    }

  if (!tsr_project_end_group (project, &group_error))
    {
      /* The whole batch is gone: say so on every file it held. */
      for (guint i = 0; i < plans->len; i++)
        {
          TsrImportItem *item = plan_items->pdata[i];
          GPtrArray *to_add = plans->pdata[i];

          for (guint k = 0; k < to_add->len; k++)
            {
              PreparedDocument *d = to_add->pdata[k];

              d->imported = FALSE;
              d->id = 0;
            }
          if (item->status != TSR_IMPORT_FAILED)
            _tsr_import_item_fail (item, g_error_copy (group_error));
        }
      g_propagate_error (error, group_error);
      return 0;
    }

  return n_added;
}

/**
 * tsr_project_import_files:
 * @files: (array length=n_files): the files
 *
 * Reads the files and adds their documents to @project in one undoable
 * step, leaving duplicates out: tsr_importer_read() then
 * tsr_importer_commit().  Spreadsheets use their guessed text column.
 *
 * Returns: (transfer full): the importer, whose items tell what happened
 *   to each file; %NULL with @error set when cancelled or when the
 *   project could not be written
 */
TsrImporter *
tsr_project_import_files (TsrProject    *project,
                          GFile        **files,
                          guint          n_files,
                          GCancellable  *cancellable,
                          GError       **error)
{
  g_autoptr(TsrImporter) importer = tsr_importer_new ();
  GError *local_error = NULL;

  g_return_val_if_fail (TSR_IS_PROJECT (project), NULL);

  for (guint i = 0; i < n_files; i++)
    tsr_importer_add_file (importer, files[i]);
  if (!tsr_importer_read (importer, cancellable, NULL, NULL, error))
    return NULL;
  tsr_importer_commit (importer, project, FALSE, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return NULL;
    }
  return g_steal_pointer (&importer);
}
