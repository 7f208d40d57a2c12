#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
#
# test-done.py — marking documents as coded (done) with a real pointer and
# keyboard: the Done toggle in the reader's header marks the document
# shown for the current coder and takes the mark back, Ctrl+Z undoes,
# and "Mark All Shown as Done" in a document's menu marks every document
# listed in one step.  The project is read back through tessera-cli after
# each step.  Prints TAP.
#
# usage: test-done.py TESSERA DEMO SCHEMA_DIR
#        (TESSERA_CLI names tessera-cli)

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import tsrinput  # noqa: E402
from tsrinput import read_project, wait_for  # noqa: E402

if len(sys.argv) < 4:
    print("Bail out! usage: test-done.py TESSERA DEMO SCHEMA_DIR")
    sys.exit(1)

TESSERA, DEMO, SCHEMA_DIR = sys.argv[1:4]

DOC = "E02 – Surgical resident"
OTHER = "E05 – Paediatric nurse"


def done_by_tester(app):
    """The names of the documents the test's coder marked done."""
    tables = read_project(app).tables
    docs = {d["id"]: d["name"] for d in tables["documents"]}
    coders = {c["id"]: c["name"] for c in tables["coders"]}
    return {docs[m["document_id"]] for m in tables["document_done"]
            if coders.get(m["coder_id"]) == tsrinput.App.CODER}


def document_row(app, name):
    """A document's name in the sidebar's list (not a title elsewhere)."""
    return app.find("label", name, pred=lambda n: app.extents(n)[0] < 330)


def done_button(app):
    """The Done toggle in the reader's header (its role's name varies
    with the toolkit's version)."""
    return app.find(None, lambda name: name.startswith("Done"),
                    pred=lambda n: "button" in n.getRoleName() and app.extents(n)[1] < 120)


def pressed(button):
    import pyatspi
    return button.getState().contains(pyatspi.STATE_PRESSED) or button.getState().contains(pyatspi.STATE_CHECKED)


def main(tap):
    app = tsrinput.App(TESSERA, DEMO, SCHEMA_DIR).start()
    try:
        tap.ok(done_by_tester(app) == set(), "the demo starts with no document marked done by the coder")

        # Open a document, then press Done in the reader's header.
        app.pointer.click(*app.center(document_row(app, DOC)))
        wait_for(lambda: app.find_all("label", DOC, pred=lambda n: app.extents(n)[0] > 330),
                 what="the document open in the reader")
        button = done_button(app)
        tap.ok(not pressed(button), "Done is not pressed for a document the coder has not finished")
        app.pointer.click(*app.center(button))
        now = wait_for(lambda: (lambda d: d if d else None)(done_by_tester(app)), what="the mark in the project")
        tap.ok(now == {DOC}, "pressing Done marks the document shown as done by the current coder", now)
        tap.ok(wait_for(lambda: pressed(done_button(app)), what="Done pressed"), "Done shows pressed")
        tap.ok(wait_for(lambda: app.find_all("image", "Done", pred=lambda n: app.extents(n)[0] < 330),
                        what="the check in the document's row"),
               "the document's row shows that it is done")

        # Pressing it again takes the mark back; Ctrl+Z brings it back.
        app.pointer.click(*app.center(done_button(app)))
        tap.ok(wait_for(lambda: done_by_tester(app) == set() or None, what="the mark taken back"),
               "pressing Done again takes the mark back")
        app.pointer.key("ctrl+z")
        now = wait_for(lambda: (lambda d: d if d else None)(done_by_tester(app)), what="the undo")
        tap.ok(now == {DOC} and wait_for(lambda: pressed(done_button(app)), what="Done pressed again"),
               "Ctrl+Z brings the mark back, and Done shows it", now)

        # Every document listed, from a document's menu, as one edit.
        app.pointer.click(*app.center(document_row(app, OTHER)), button=3)
        app.pointer.click(*app.center(app.find(None, "Mark All Shown as Done")))
        n_documents = len(read_project(app).tables["documents"])
        now = wait_for(lambda: (lambda d: d if len(d) == n_documents else None)(done_by_tester(app)),
                       what="every document marked")
        tap.ok(len(now) == n_documents, "Mark All Shown as Done marks every document listed", len(now))
        app.pointer.key("ctrl+z")
        now = wait_for(lambda: (lambda d: d if d == {DOC} else None)(done_by_tester(app)),
                       what="the bulk mark undone")
        tap.ok(now == {DOC}, "Ctrl+Z takes the whole bulk mark back in one step", now)
    finally:
        app.cleanup()


tsrinput.run(main, "done")
