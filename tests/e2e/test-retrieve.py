#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
#
# test-retrieve.py — a code's passages read together, with a real pointer
# and keyboard: "Show Passages" chosen from a code's context menu opens
# the passages window; a click on a passage of another document opens it
# in the reader with the passage selected; a passage's coding removed
# from the window and put back with Ctrl+Z.  The project is read back
# through tessera-cli.  Prints TAP.
#
# usage: test-retrieve.py TESSERA DEMO SCHEMA_DIR
#        (TESSERA_CLI names tessera-cli)

import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import tsrinput  # noqa: E402
from tsrinput import read_project, wait_for  # noqa: E402

if len(sys.argv) < 4:
    print("Bail out! usage: test-retrieve.py TESSERA DEMO SCHEMA_DIR")
    sys.exit(1)

TESSERA, DEMO, SCHEMA_DIR = sys.argv[1:4]

FIRST_DOC = "E01 – ICU nurse"


def passages(app, code):
    """A code's passages with its sub-codes, every coder's, as the
    window lists them: (document, start, end, code, coder, text)."""
    out = app.cli("retrieve", app.project, code, "--with-subcodes", "--context", "0")
    rows = [line.split("\t") for line in out.splitlines()[1:]]
    return [(r[0], int(r[1]), int(r[2]), r[3], r[4], r[6]) for r in rows]


def menu_item(app, row, item):
    """Right-clicks @row until its context menu shows @item (a press that
    comes while a closing popover still holds its grab is lost, so a user
    would click again; three times at most)."""
    for attempt in range(3):
        app.pointer.click(*app.center(row()), button=3)
        try:
            return wait_for(lambda: (app.find_all(None, item) or [None])[0],
                            timeout=5, what="the menu item %r" % item)
        except TimeoutError:
            if attempt == 2:
                raise
    return None


def raise_window(title_start):
    """Without a window manager a new window may open under the main one;
    a window manager would put it in front, as this does."""
    found = subprocess.run(["xdotool", "search", "--name", "^" + title_start],
                           capture_output=True, text=True).stdout.split()
    for window in found:
        subprocess.run(["xdotool", "windowraise", window], check=False)
    return bool(found)


def heading(passage, code):
    document, _start, _end, path, coder, _text = passage
    if path == code:
        return "%s · %s" % (document, coder)
    return "%s · %s · %s" % (document, coder, path)


def main(tap):
    app = tsrinput.App(TESSERA, DEMO, SCHEMA_DIR).start()
    try:
        reader = app.find("text", "Document text")
        wait_for(lambda: app.text_of(reader).strip(), what="the document's text")

        # A top-level code whose first passage is in another document than
        # the one open, so that the click has somewhere to go.
        codes = [line.split("\t")[0] for line in app.cli("codes", app.project).splitlines()[1:]]
        code, listed = None, None
        for candidate in (c for c in codes if "/" not in c):
            listed = passages(app, candidate)
            if listed and listed[0][0] != FIRST_DOC:
                code = candidate
                break
        tap.ok(code is not None, "the demo has a code whose first passage is not in %s" % FIRST_DOC)
        target = listed[0]
        tap.comment("showing the passages of %r: %d, the first in %s" % (code, len(listed), target[0]))

        item = menu_item(app, lambda: app.find("panel", code), "Show Passages")
        app.pointer.click(*app.center(item))
        wait_for(lambda: raise_window("Passages of"), what="the passages window")
        summary = wait_for(lambda: (app.find_all("label", None, pred=lambda n: n.name.startswith("%d passage" % len(listed)))
                                    or [None])[0],
                           what="the summary “%d passages in …”" % len(listed))
        tap.ok(summary is not None, "“Show Passages” in the code's context menu opens its passages, every one counted",
               summary.name)

        # A click on the first passage: its document in the reader, the
        # passage selected.
        label = app.find("label", heading(target, code))
        raise_window("Passages of")
        app.pointer.click(*app.center(label))
        sel = wait_for(lambda: app.selection(reader) == (target[1], target[2]) and app.selection(reader),
                       what="the passage selected in the reader (it is %r)" % (app.selection(reader),))
        text = app.text_of(reader)
        tap.ok(sel == (target[1], target[2]) and text[target[1]:target[2]] == target[5],
               "a click on a passage opens its document with the passage selected", "%r" % (sel,))

        # Its coding removed from the window, then put back with Ctrl+Z.
        segments_before = len(read_project(app).segments)
        raise_window("Passages of")
        remove = app.find("push button", "Remove the coding of this passage of %s" % target[0])
        app.pointer.click(*app.center(remove))
        after = wait_for(lambda: (lambda n: n if n == segments_before - 1 else None)(len(read_project(app).segments)),
                         what="the coding removed")
        left = passages(app, code)
        tap.ok(after == segments_before - 1 and target not in left and len(left) == len(listed) - 1,
               "the remove button takes that passage's coding away, and nothing else")
        wait_for(lambda: app.find_all("label", None,
                                      pred=lambda n: n.name.startswith("%d passage" % (len(listed) - 1))),
                 what="the window counting one passage less")
        tap.ok(True, "the window lists the passages left")

        raise_window("Passages of")
        app.pointer.click(*app.center(summary))
        app.pointer.key("ctrl+z")
        wait_for(lambda: len(read_project(app).segments) == segments_before, what="the removal undone")
        tap.ok(passages(app, code) == listed, "Ctrl+Z in the passages window puts the coding back")
        wait_for(lambda: app.find_all("label", None, pred=lambda n: n.name.startswith("%d passage" % len(listed))),
                 what="the window counting it again")
        tap.ok(True, "the window lists it again")
    finally:
        app.cleanup()


tsrinput.run(main)
