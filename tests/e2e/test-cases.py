#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
#
# test-cases.py — cases in the Code view's sidebar with a real pointer and
# keyboard: a case created with the "+" button and its name typed, a
# document row dragged onto it, the document list narrowed to the case
# and brought back, the membership undone with Ctrl+Z, and the same
# document added through its menu's "Add to Case".  The project is read
# back through tessera-cli after each step.  Prints TAP.
#
# usage: test-cases.py TESSERA DEMO SCHEMA_DIR
#        (TESSERA_CLI names tessera-cli)

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import tsrinput  # noqa: E402
from tsrinput import read_project, wait_for  # noqa: E402

if len(sys.argv) < 4:
    print("Bail out! usage: test-cases.py TESSERA DEMO SCHEMA_DIR")
    sys.exit(1)

TESSERA, DEMO, SCHEMA_DIR = sys.argv[1:4]

CASE = "Dyad 7"
DOC = "E03 – Oncology nurse"
OTHER = "E01 – ICU nurse"


def menu_item(app, row, item, pred=None):
    """Right-clicks @row until its context menu shows @item.  Without a
    window manager, a press that comes while a closing popover still holds
    its grab is taken by that popover and the menu does not open; a user
    would click again, and so does the test, three times at most, so a
    menu that never opens still fails."""
    for attempt in range(3):
        app.pointer.click(*app.center(row()), button=3)
        try:
            return wait_for(lambda: (app.find_all(None, item, None, True, pred) or [None])[0],
                            timeout=5, what="the menu item %r" % item)
        except TimeoutError:
            if attempt == 2:
                raise
    return None


def memberships(app):
    """The project's cases by name, each with its documents' names."""
    tables = read_project(app).tables
    docs = {d["id"]: d["name"] for d in tables["documents"]}
    cases = {c["id"]: c["name"] for c in tables["cases"]}
    out = {name: set() for name in cases.values()}
    for m in tables["case_documents"]:
        out[cases[m["case_id"]]].add(docs[m["document_id"]])
    return out


def document_row(app, name):
    """A document's name in the sidebar's list (not a title elsewhere)."""
    return app.find("label", name, pred=lambda n: app.extents(n)[0] < 330)


def shows_document(app, name):
    return bool(app.find_all("label", name, pred=lambda n: app.extents(n)[0] < 330))


def case_row(app, name):
    return app.find("list item", name)


def main(tap):
    app = tsrinput.App(TESSERA, DEMO, SCHEMA_DIR).start()
    try:
        document_row(app, OTHER)
        start = memberships(app)
        tap.ok(start == {}, "the demo starts without cases", start)

        # "+" under Cases, a name, Enter.
        app.pointer.click(*app.center(app.find("push button", "New case")))
        entry = app.find("text", "Case name")
        app.pointer.click(*app.center(entry))
        app.pointer.type(CASE)
        app.pointer.key("Return")
        now = wait_for(lambda: (lambda m: m if CASE in m else None)(memberships(app)),
                       what="the new case in the project")
        tap.ok(now == {CASE: set()}, "the + button and a typed name create an empty case", now)

        # A document row dragged onto the case's row.
        row = case_row(app, CASE)
        app.pointer.drag(app.center(document_row(app, DOC)), app.center(row), steps=25)
        now = wait_for(lambda: (lambda m: m if m.get(CASE) else None)(memberships(app)),
                       what="the dragged document in the case")
        tap.ok(now == {CASE: {DOC}}, "a document row dragged onto a case joins it", now)
        tap.ok(wait_for(lambda: case_row(app, CASE).description == "1 document", what="the case's count"),
               "the case's row counts its document")

        # Choosing the case narrows the documents; All Documents brings
        # them back.
        app.pointer.click(*app.center(case_row(app, CASE)))
        wait_for(lambda: not shows_document(app, OTHER), what="the other documents hidden")
        tap.ok(shows_document(app, DOC) and not shows_document(app, OTHER),
               "choosing a case shows only its documents")
        app.pointer.click(*app.center(case_row(app, "All Documents")))
        tap.ok(wait_for(lambda: shows_document(app, OTHER), what="every document back"),
               "All Documents shows every document again")

        # Ctrl+Z takes the membership back.
        app.pointer.key("ctrl+z")
        now = wait_for(lambda: (lambda m: m if not m.get(CASE) else None)(memberships(app)),
                       what="the membership undone")
        tap.ok(now == {CASE: set()}, "Ctrl+Z takes the document out of the case again", now)

        # The document's menu: Add to Case → the case.
        app.pointer.click(*app.center(document_row(app, DOC)), button=3)
        app.pointer.click(*app.center(app.find(None, "Add to Case")))
        app.pointer.click(*app.center(app.find(None, CASE, pred=lambda n: n.getRoleName() != "list item")))
        now = wait_for(lambda: (lambda m: m if m.get(CASE) else None)(memberships(app)),
                       what="the document added from its menu")
        tap.ok(now == {CASE: {DOC}}, "Add to Case in a document's menu adds it", now)

        # A second case of the same name is refused, in the popover.
        app.pointer.click(*app.center(app.find("push button", "New case")))
        entry = app.find("text", "Case name")
        popover = tsrinput.popover_of(entry)
        wait_for(lambda: tsrinput.popover_shown(popover), what="the name popover open")
        app.pointer.click(*app.center(entry))
        app.pointer.type(CASE)
        app.pointer.key("Return")
        error = app.find("label", lambda n: n.startswith("There is already a case"))
        tap.ok(error is not None and set(memberships(app)) == {CASE},
               "a case name already taken is refused with a message", error.name)
        app.pointer.key("Escape")
        wait_for(lambda: not tsrinput.popover_shown(popover), what="the name popover closed")

        # Rename from the case's menu.
        app.pointer.click(*app.center(menu_item(app, lambda: case_row(app, CASE), "Rename…")))
        wait_for(lambda: tsrinput.popover_shown(popover), what="the name popover open to rename")
        app.pointer.key("ctrl+a")
        app.pointer.type("Dyad 8")
        app.pointer.key("Return")
        now = wait_for(lambda: (lambda m: m if "Dyad 8" in m else None)(memberships(app)),
                       what="the case renamed")
        tap.ok(now == {"Dyad 8": {DOC}}, "Rename… in a case's menu renames it", now)

        # Delete from the menu; Ctrl+Z brings the case and its document back.
        app.pointer.click(*app.center(menu_item(app, lambda: case_row(app, "Dyad 8"), "Delete",
                                                pred=lambda n: app.extents(n)[1] > 300)))
        wait_for(lambda: memberships(app) == {}, what="the case deleted")
        tap.ok(shows_document(app, OTHER), "Delete in a case's menu deletes it and shows every document")
        app.pointer.key("ctrl+z")
        now = wait_for(lambda: (lambda m: m if m else None)(memberships(app)), what="the deletion undone")
        tap.ok(now == {"Dyad 8": {DOC}}, "Ctrl+Z brings the deleted case back with its document", now)
    finally:
        app.cleanup()


tsrinput.run(main, "cases")
