#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
#
# test-matrix.py — the Compare view with a real pointer: two cases made
# with tessera-cli, the view opened from the view switcher, a cell of the
# code × case matrix clicked and its passages listed beside the table
# (checked against the project read back through tessera-cli), a passage
# opened in the Code view, the cells switched to passages, the table
# transposed.  Prints TAP.
#
# usage: test-matrix.py TESSERA DEMO SCHEMA_DIR
#        (TESSERA_CLI names tessera-cli)

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import tsrinput  # noqa: E402
from tsrinput import read_project, wait_for  # noqa: E402

if len(sys.argv) < 4:
    print("Bail out! usage: test-matrix.py TESSERA DEMO SCHEMA_DIR")
    sys.exit(1)

TESSERA, DEMO, SCHEMA_DIR = sys.argv[1:4]

CODE = "Standing together"
CASES = {"Dyad 1": ["E01 – ICU nurse", "E02 – Surgical resident"],
         "Dyad 2": ["E03 – Oncology nurse", "E04 – Hospital chaplain"]}


def expected_passages(app, case):
    """The consensus's passages of CODE and its sub-codes in the case's
    documents, from the project itself."""
    project = read_project(app)
    docs = set(CASES[case])
    return [s for s in project.segments
            if s["coder"] == "Consensus" and (s["code"] == CODE or s["code"].startswith(CODE + "/"))
            and s["document"] in docs]


def cell(app, row, column, what):
    return app.find("push button", lambda n: n.startswith("%s in %s: " % (row, column)) and n.endswith(what))


def open_compare(app):
    """Clicks the Compare tab until the view shows: a click that comes
    while the window is still settling may not switch the view."""
    for attempt in range(3):
        # The header's view switcher has a second, narrow one that GTK
        # 4.8 reports as visible too, at other positions: the wide one is
        # the last in the tree.
        tab = wait_for(lambda: app.find_all("page tab", "Compare")[-1:] or None, what="the Compare tab")[0]
        app.pointer.click(*app.center(tab))
        try:
            return wait_for(lambda: (app.find_all(None, "Cells", pred=lambda n: n.getRoleName() != "label")
                                     or [None])[0], timeout=5, what="the Compare view")
        except TimeoutError:
            if attempt == 2:
                raise
    return None


def choose(app, dropdown, item, steps):
    """Opens a drop-down with a click and takes the item @steps below the
    chosen one with the arrow keys and Enter (GTK 4.8 reports a drop-down
    popover's items where no pointer finds them)."""
    app.pointer.click(*app.center(app.find("combo box", dropdown)))
    app.find("label", item, pred=lambda n: app.extents(n)[1] > 80)
    for _ in range(steps):
        app.pointer.key("Down")
    app.pointer.key("Return")


def main(tap):
    app = tsrinput.App(TESSERA, DEMO, SCHEMA_DIR)
    for case, docs in CASES.items():
        app.cli("case-add", app.project, case)
        app.cli("case-assign", app.project, case, *docs)
    app.start()
    try:
        app.find("label", CASES["Dyad 1"][0])
        open_compare(app)
        passages = expected_passages(app, "Dyad 1")
        n = len({s["document"] for s in passages})
        tap.ok(len(passages) > 1 and n == 2, "the demo's consensus codes %s in Dyad 1" % CODE, len(passages))

        button = cell(app, CODE, "Dyad 1", "%d document%s" % (n, "" if n == 1 else "s"))
        tap.ok(button is not None, "the matrix shows %s × Dyad 1 as n = %d" % (CODE, n), button.name)

        # A click on the cell lists its passages beside the table.
        app.pointer.click(*app.center(button))
        title = app.find("label", "%s × Dyad 1" % CODE)
        subtitle = app.find("label", lambda s: s.startswith("%d passages in %d documents" % (len(passages), n)))
        tap.ok(title is not None and subtitle is not None, "a click on a cell lists its passages", subtitle.name)
        shown = wait_for(lambda: (lambda b: b if len(b) == len(passages) else None)(
            app.find_all("push button", lambda s: s.startswith("Show in “"))), what="a button per passage")
        names = sorted(b.name[len("Show in “"):-1] for b in shown)
        tap.ok(names == sorted(s["document"] for s in passages),
               "each passage names its document", names)
        texts = {s["text"] for s in passages}
        tap.ok(any(app.find_all("label", t) for t in texts), "the passages' text shows")

        # A passage opens in the Code view: one of the second document,
        # which the reader does not show yet, on the screen.
        second = [b for b in shown if b.name.endswith(CASES["Dyad 1"][1] + "”") and app.extents(b)[1] < 700][0]
        app.pointer.click(*app.center(second))
        target = CASES["Dyad 1"][1]
        reader_title = wait_for(lambda: (app.find_all("label", target, pred=lambda n: app.extents(n)[1] < 110)
                                         or [None])[0], what="the passage's document in the Code view")
        tap.ok(reader_title is not None, "a passage's button opens its document in the Code view", target)

        # Back to the matrix: the cells as passages.
        open_compare(app)
        choose(app, "Cells", "Passages", 1)
        button = cell(app, CODE, "Dyad 1", "%d passages" % len(passages))
        tap.ok(button is not None, "the cells switch to passages", button.name)

        # Transposed: a row per case, named with its N.
        app.pointer.click(*app.center(app.find(None, "Transpose", pred=lambda n: n.getRoleName() != "label")))
        header = app.find("label", "Dyad 2 (N = 2)")
        button = cell(app, CODE, "Dyad 1", "%d passages" % len(passages))
        top = app.find("label", CODE, pred=lambda n: app.extents(n)[1] < app.extents(header)[1])
        tap.ok(header is not None and top is not None and button is not None,
               "Transpose puts the cases in rows and the codes in columns")

    finally:
        app.cleanup()


tsrinput.run(main, "matrix")
