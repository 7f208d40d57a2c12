#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Reads DOCX files with python-docx, as a second tool independent of
# Tessera's writer, and prints what it finds as JSON on standard output:
#
#   {"file.docx": {"paragraphs": [{"style": "Caption", "text": "…"}, …],
#                  "tables": [{"rows": [["cell", …], …],
#                              "header_rows": 1, "style": "Tessera Table"}]}}
#
# test-export.c compares every cell with the document it exported.  Exit
# status 77 (the GTest/automake "skip" code) when python-docx is missing.
import json
import sys

try:
    import docx
    from docx.oxml.ns import qn
except ImportError:
    sys.exit(77)


def paragraph_text(paragraph):
    # python-docx's Paragraph.text skips fields (w:fldSimple), such as a
    # caption's SEQ number: read every w:t, w:br and w:tab in order.
    parts = []
    for node in paragraph._p.iter():
        if node.tag == qn("w:t"):
            parts.append(node.text or "")
        elif node.tag == qn("w:br"):
            parts.append("\n")
        elif node.tag == qn("w:tab"):
            parts.append("\t")
    return "".join(parts)


def read(path):
    document = docx.Document(path)
    result = {"paragraphs": [], "tables": []}
    for paragraph in document.paragraphs:
        result["paragraphs"].append({"style": paragraph.style.name, "text": paragraph_text(paragraph)})
    for table in document.tables:
        rows = []
        header_rows = 0
        for row in table.rows:
            rows.append(["\n".join(paragraph_text(p) for p in cell.paragraphs) for cell in row.cells])
            tr_pr = row._tr.trPr
            if tr_pr is not None and tr_pr.find(qn("w:tblHeader")) is not None:
                header_rows += 1
        result["tables"].append({
            "rows": rows,
            "header_rows": header_rows,
            "style": table.style.name if table.style is not None else None,
        })
    return result


def main():
    out = {path: read(path) for path in sys.argv[1:]}
    json.dump(out, sys.stdout, ensure_ascii=False)


if __name__ == "__main__":
    main()
