/* tsr-export-json.c — an export document as JSON
 *
 *   {
 *     "generator": "Tessera 0.1.0",
 *     "title": "…",
 *     "blocks": [
 *       {"type": "heading", "level": 1, "text": "…"},
 *       {"type": "paragraph", "style": "body", "runs": [{"text": "…", "bold": true}]},
 *       {"type": "table", "number": 1, "label": "Table 1", "caption": "…",
 *        "columns": [{"header": "Theme", "align": "start", "width": 3}],
 *        "rows": [{"indent": 0, "bold": true, "cells": ["…", "…"]}],
 *        "notes": ["…"]}
 *     ]
 *   }
 *
 * A cell of several paragraphs is a list of strings.  Reports have their
 * own, richer JSON (tsr-report.c); this one serves any other table.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <json-glib/json-glib.h>

#include "tsr-export-private.h"

static const char * const style_names[] = {
  "title", "heading-1", "heading-2", "heading-3", "body", "note", "quote",
};

static const char * const align_names[] = { "start", "center", "end" };

static void
add_runs (JsonBuilder        *builder,
          TsrExportParagraph *paragraph)
{
  json_builder_set_member_name (builder, "runs");
  json_builder_begin_array (builder);
  for (guint i = 0; i < tsr_export_paragraph_get_n_runs (paragraph); i++)
    {
      TsrTextStyle style;
      const char *text = tsr_export_paragraph_get_run (paragraph, i, &style);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "text");
      json_builder_add_string_value (builder, text);
      if (style & TSR_TEXT_BOLD)
        {
          json_builder_set_member_name (builder, "bold");
          json_builder_add_boolean_value (builder, TRUE);
        }
      if (style & TSR_TEXT_ITALIC)
        {
          json_builder_set_member_name (builder, "italic");
          json_builder_add_boolean_value (builder, TRUE);
        }
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
}

static void
add_paragraph (JsonBuilder        *builder,
               TsrExportParagraph *paragraph)
{
  g_autofree char *text = tsr_export_paragraph_get_text (paragraph);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "type");
  if (paragraph->style >= TSR_PARAGRAPH_HEADING_1 && paragraph->style <= TSR_PARAGRAPH_HEADING_3)
    {
      json_builder_add_string_value (builder, "heading");
      json_builder_set_member_name (builder, "level");
      json_builder_add_int_value (builder, paragraph->style - TSR_PARAGRAPH_HEADING_1 + 1);
    }
  else
    {
      json_builder_add_string_value (builder, "paragraph");
      json_builder_set_member_name (builder, "style");
      json_builder_add_string_value (builder, style_names[paragraph->style]);
    }
  json_builder_set_member_name (builder, "text");
  json_builder_add_string_value (builder, text);
  add_runs (builder, paragraph);
  json_builder_end_object (builder);
}

static void
add_table (JsonBuilder    *builder,
           TsrExportTable *table)
{
  g_autofree char *label = _tsr_export_table_label (table->number);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "type");
  json_builder_add_string_value (builder, "table");
  json_builder_set_member_name (builder, "number");
  json_builder_add_int_value (builder, table->number);
  json_builder_set_member_name (builder, "label");
  json_builder_add_string_value (builder, label);
  json_builder_set_member_name (builder, "caption");
  json_builder_add_string_value (builder, table->caption);

  json_builder_set_member_name (builder, "columns");
  json_builder_begin_array (builder);
  for (guint c = 0; c < table->n_columns; c++)
    {
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "header");
      json_builder_add_string_value (builder, table->columns[c].header);
      json_builder_set_member_name (builder, "align");
      json_builder_add_string_value (builder, align_names[table->columns[c].align]);
      json_builder_set_member_name (builder, "width");
      json_builder_add_int_value (builder, table->columns[c].width);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "rows");
  json_builder_begin_array (builder);
  for (guint r = 0; r < table->rows->len; r++)
    {
      TsrExportRow *row = &g_array_index (table->rows, TsrExportRow, r);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "indent");
      json_builder_add_int_value (builder, row->indent);
      json_builder_set_member_name (builder, "bold");
      json_builder_add_boolean_value (builder, (row->style & TSR_TEXT_BOLD) != 0);
      json_builder_set_member_name (builder, "cells");
      json_builder_begin_array (builder);
      for (guint c = 0; c < table->n_columns; c++)
        {
          guint n = row->cells[c] ? row->cells[c]->len : 0;

          if (n <= 1)
            {
              g_autofree char *text = tsr_export_table_get_cell_text (table, r, c);

              json_builder_add_string_value (builder, text);
              continue;
            }
          json_builder_begin_array (builder);
          for (guint i = 0; i < n; i++)
            {
              g_autofree char *text = tsr_export_paragraph_get_text (g_ptr_array_index (row->cells[c], i));

              json_builder_add_string_value (builder, text);
            }
          json_builder_end_array (builder);
        }
      json_builder_end_array (builder);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "notes");
  json_builder_begin_array (builder);
  for (guint i = 0; i < table->notes->len; i++)
    {
      g_autofree char *text = tsr_export_paragraph_get_text (g_ptr_array_index (table->notes, i));

      json_builder_add_string_value (builder, text);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
}

gboolean
_tsr_export_write_json (TsrExportDocument  *doc,
                        GOutputStream      *stream,
                        GCancellable       *cancellable,
                        GError            **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;
  gsize len;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "generator");
  json_builder_add_string_value (builder, _tsr_export_generator ());
  json_builder_set_member_name (builder, "title");
  json_builder_add_string_value (builder, tsr_export_document_get_title (doc));
  json_builder_set_member_name (builder, "blocks");
  json_builder_begin_array (builder);
  for (guint b = 0; b < tsr_export_document_get_n_blocks (doc); b++)
    {
      TsrExportParagraph *paragraph = tsr_export_document_get_paragraph (doc, b);

      if (paragraph != NULL)
        add_paragraph (builder, paragraph);
      else
        add_table (builder, tsr_export_document_get_table (doc, b));
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  text = json_generator_to_data (generator, &len);
  return _tsr_export_write_all (stream, text, len, cancellable, error) &&
         _tsr_export_write_all (stream, "\n", 1, cancellable, error);
}
