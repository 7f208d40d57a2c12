/* tsr-export-xml.c — the element and attribute writers the XML formats share
 *
 * DOCX, ODT and HTML write their parts with libxml2's text writer; these
 * wrappers take plain strings, so that a writer reads as the markup it
 * makes.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "tsr-export-private.h"

void
_tsr_xml_start (xmlTextWriterPtr  w,
                const char       *name)
{
  xmlTextWriterStartElement (w, BAD_CAST name);
}

void
_tsr_xml_end (xmlTextWriterPtr w)
{
  xmlTextWriterEndElement (w);
}

void
_tsr_xml_end_full (xmlTextWriterPtr w)
{
  xmlTextWriterFullEndElement (w);
}

void
_tsr_xml_attr (xmlTextWriterPtr  w,
               const char       *name,
               const char       *value)
{
  xmlTextWriterWriteAttribute (w, BAD_CAST name, BAD_CAST value);
}

void
_tsr_xml_attr_int (xmlTextWriterPtr  w,
                   const char       *name,
                   int               value)
{
  xmlTextWriterWriteFormatAttribute (w, BAD_CAST name, "%d", value);
}

void
_tsr_xml_empty (xmlTextWriterPtr  w,
                const char       *name)
{
  _tsr_xml_start (w, name);
  _tsr_xml_end (w);
}

GBytes *
_tsr_xml_abandon (xmlTextWriterPtr writer,
                  xmlBufferPtr     buffer)
{
  xmlFreeTextWriter (writer);
  xmlBufferFree (buffer);
  return NULL;
}
