#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
#
# test-input.py — the real-input suite: the gestures a researcher makes
# with a mouse and keyboard, sent to the real app through XTest
# (xdotool), with positions read from the accessibility tree, and the
# project checked afterwards through tessera-cli.  Each scenario runs on
# its own copy of the demo project.  Prints TAP.
#
# usage: test-input.py TESSERA DEMO SCHEMA_DIR [SCENARIO…]
#        (TESSERA_CLI names tessera-cli)

import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import tsrinput  # noqa: E402
from tsrinput import read_project, wait_for  # noqa: E402

if len(sys.argv) < 4:
    print("Bail out! usage: test-input.py TESSERA DEMO SCHEMA_DIR [SCENARIO…]")
    sys.exit(1)

TESSERA, DEMO, SCHEMA_DIR = sys.argv[1:4]
ONLY = sys.argv[4:]

FIRST_DOC = "E01 – ICU nurse"


def open_demo():
    return tsrinput.App(TESSERA, DEMO, SCHEMA_DIR).start()


def new_segments(app, before, **match):
    """The segments the app added since @before (a list of segment ids)."""
    project = read_project(app)
    return [s for s in project.segments_of(**match) if s["id"] not in before]


def segment_ids(app):
    return {s["id"] for s in read_project(app).segments}


def wait_new_segment(app, before, what, **match):
    return wait_for(lambda: new_segments(app, before, **match), what=what)


def reader_of(app):
    reader = app.find("text", "Document text")
    wait_for(lambda: app.text_of(reader).strip(), what="the document's text")
    return reader


def select_by_drag(app, reader, start, end):
    """Selects about characters [start, end) by dragging across them, in
    whichever direction @start and @end give (end < start: right to
    left, from the end of the passage to its start).  GTK 4.8 reports
    character extents a few pixels from where they are drawn, so the
    selection may miss by a character at either end; returns the
    selection the app made, once it holds at least most of the span."""
    forward = end >= start
    lo, hi = (start, end) if forward else (end, start)
    first = app.char_point(reader, lo, "middle")
    last = app.char_point(reader, hi - 1, "end")
    a, b = (first, last) if forward else (last, first)
    app.pointer.drag(a, b, dnd=False)

    def near():
        sel = app.selection(reader)
        return sel if sel and abs(sel[0] - lo) <= 1 and abs(sel[1] - hi) <= 1 else None

    return wait_for(near, timeout=5,
                    what="a selection near %d–%d (it is %r)" % (lo, hi, app.selection(reader)))


def trimmed(text, sel):
    """The passage a selection codes: without the spaces at its ends."""
    s, e = sel
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return s, e


def word_span(text, index):
    """The [start, end) offsets of the index-th word of text."""
    pos, words = 0, []
    for w in text.split(" "):
        if w:
            words.append((pos, pos + len(w)))
        pos += len(w) + 1
    return words[index]


def raw_y(node):
    """@node's top as GTK gives it (quick: no correction to the screen)."""
    import pyatspi
    return node.queryComponent().getExtents(pyatspi.WINDOW_COORDS).y


def code_row(app, name):
    return app.find("panel", name)


def expand_row(app, name):
    """Opens a code's row with its expander, as a click on the arrow."""
    row = code_row(app, name)
    x, y, w, h = app.extents(row)
    # The expander arrow is the row's first thing, at its left.
    app.pointer.click(x + 12, y + h // 2)


# Scenarios -------------------------------------------------------------

def scenario_select_forward(tap):
    """Left to right with the mouse, then a code dragged from the tree
    onto the selection, then Ctrl+1 on a second selection codes it with
    that (now the most recent) code."""
    app = open_demo()
    try:
        reader = reader_of(app)
        text = app.text_of(reader)

        s, e = word_span(text, 3)[0], word_span(text, 6)[1]
        sel = select_by_drag(app, reader, s, e)
        tap.ok(sel[1] - sel[0] >= e - s - 2, "a left-to-right mouse drag selects the words it crosses",
               "selected %r" % text[sel[0]:sel[1]])

        before = segment_ids(app)
        row = code_row(app, "Tensions and logistics")
        app.pointer.drag(app.center(row), app.char_point(reader, (s + e) // 2), steps=25)
        seg = wait_new_segment(app, before, "the passage coded by the dropped code",
                               code="Tensions and logistics", document=FIRST_DOC)[0]
        tap.ok((seg["start"], seg["end"]) == trimmed(text, sel),
               "a code dragged from the tree onto the selection codes exactly it",
               "%d–%d for the selection %r" % (seg["start"], seg["end"], sel))

        s2, e2 = word_span(text, 10)[0], word_span(text, 13)[1]
        sel = select_by_drag(app, reader, s2, e2)
        before = segment_ids(app)
        app.pointer.key("ctrl+1")
        seg = wait_new_segment(app, before, "the passage coded by Ctrl+1",
                               code="Tensions and logistics", document=FIRST_DOC)[0]
        tap.ok((seg["start"], seg["end"]) == trimmed(text, sel),
               "Ctrl+1 codes the next mouse selection with the most recent code",
               "%d–%d for the selection %r" % (seg["start"], seg["end"], sel))
    finally:
        app.cleanup()


def scenario_select_backward_in_vivo(tap):
    """Right to left with the mouse, then in vivo (Ctrl+Shift+I): a new
    code named after the words."""
    app = open_demo()
    try:
        reader = reader_of(app)
        text = app.text_of(reader)
        s, e = word_span(text, 1)[0], word_span(text, 2)[1]
        sel = select_by_drag(app, reader, e, s)
        tap.ok(sel[1] - sel[0] >= e - s - 2, "a right-to-left mouse drag selects the words it crosses",
               "selected %r" % text[sel[0]:sel[1]])

        before = segment_ids(app)
        app.pointer.key("ctrl+shift+i")
        seg = wait_new_segment(app, before, "the in-vivo passage", document=FIRST_DOC)[0]
        tap.ok((seg["start"], seg["end"]) == trimmed(text, sel) and
               seg["code"].split("/")[-1].strip(" .,;:") == text[seg["start"]:seg["end"]].strip(" .,;:"),
               "in vivo codes the selection with a new code named after it",
               "%s %d–%d" % (seg["code"], seg["start"], seg["end"]))
    finally:
        app.cleanup()


def scenario_text_onto_codes(tap):
    """Selected text dragged onto a parent code (held there) and onto a
    leaf code."""
    app = open_demo()
    try:
        reader = reader_of(app)
        text = app.text_of(reader)

        # Onto a parent, held a while as a hand does: the row under the
        # pointer stays the one that gets the passage.
        s, e = word_span(text, 0)[0], word_span(text, 2)[1]
        sel = select_by_drag(app, reader, s, e)
        before = segment_ids(app)
        parent = code_row(app, "Circles of support")
        target = app.center(parent)
        start_y = raw_y(parent)
        opened = []
        seen = []

        def look():
            # Longer than the tree's delay before it opens a parent.  A
            # row whose widget comes to show another code has moved too.
            deadline = time.monotonic() + 1.5
            while time.monotonic() < deadline:
                app.pointer.move(target[0] + (0 if len(seen) % 2 else 1), target[1])
                seen.append(raw_y(parent) if parent.name == "Circles of support" else None)
                time.sleep(0.05)
            opened.append(bool(app.find_all("panel", "Family drawn in")))

        app.pointer.drag(app.char_point(reader, (s + e) // 2), target, steps=30, hold=look)
        segs = wait_new_segment(app, before, "the passage coded by the drop on a parent")
        tap.ok([x["code"] for x in segs] == ["Circles of support"] and (segs[0]["start"], segs[0]["end"]) == trimmed(text, sel),
               "text dropped on a parent code, after hovering, codes it with that code",
               ", ".join("%s %d–%d" % (x["code"], x["start"], x["end"]) for x in segs))
        moved = [y for y in seen if y is None or abs(y - start_y) > 2]
        tap.ok(opened == [True], "hovering a parent opens it, after a delay")
        tap.ok(seen and not moved, "hovering a parent keeps its row under the pointer",
               "row centre moved to %r" % moved[:3] if moved else "%d looks" % len(seen))

        # Onto a leaf: open a parent with its arrow, drop on a child.
        expand_row(app, "Standing together")
        leaf = code_row(app, "Turning out")
        s, e = word_span(text, 4)[0], word_span(text, 5)[1]
        sel = select_by_drag(app, reader, s, e)
        before = segment_ids(app)
        app.pointer.drag(app.char_point(reader, (s + e) // 2), app.center(leaf), steps=30)
        segs = wait_new_segment(app, before, "the passage coded by the drop on a leaf")
        tap.ok([x["code"] for x in segs] == ["Standing together/Turning out"] and (segs[0]["start"], segs[0]["end"]) == trimmed(text, sel),
               "text dropped on a leaf code codes it with that code",
               ", ".join("%s %d–%d" % (x["code"], x["start"], x["end"]) for x in segs))
    finally:
        app.cleanup()


def menu_items(app):
    """The items of the menu on the screen, by name."""
    items = {}
    for n in app.find_all("menu item"):
        popover = tsrinput.popover_of(n)
        if popover is None or tsrinput.popover_shown(popover):
            items[n.name] = n
    return items


def open_context_menu(app, reader, offset):
    app.pointer.click(*app.char_point(reader, offset), button=3)
    return wait_for(lambda: menu_items(app), what="the reader's context menu")


def scenario_context_menu(tap):
    """A right click offers Tessera's own menu for the passage under the
    pointer; its items act on that passage, not on another selected."""
    app = open_demo()
    try:
        reader = reader_of(app)
        text = app.text_of(reader)
        # Two passages of the current coder's (a right click prefers
        # one's own passage to the others' under it).
        mine = []
        for code, first_word, last_word in (("Acts of kindness", 20, 23), ("Emotional resonance", 30, 34)):
            sel = select_by_drag(app, reader, word_span(text, first_word)[0], word_span(text, last_word)[1])
            before = segment_ids(app)
            app.pointer.drag(app.center(code_row(app, code)), app.char_point(reader, (sel[0] + sel[1]) // 2), steps=25)
            mine.append(wait_new_segment(app, before, "passage %s" % code, code=code)[0])
        seg_a, seg_b = mine
        off_a = (seg_a["start"] + seg_a["end"]) // 2
        off_b = (seg_b["start"] + seg_b["end"]) // 2
        app.pointer.click(*app.char_point(reader, 0))
        tap.comment("passage A %s %d–%d, B %s %d–%d" % (seg_a["code"], seg_a["start"], seg_a["end"],
                                                          seg_b["code"], seg_b["start"], seg_b["end"]))

        items = open_context_menu(app, reader, off_a)
        names = set(items)
        stock = {"Cut", "Paste", "Delete", "Undo", "Redo", "Select All", "Insert Emoji"} & names
        wanted = {"Code With", "Code In Vivo", "Remove Coding", "Star as Exemplar", "Memo…",
                  "Show Coding Here", "Copy"}
        tap.ok(not stock and wanted <= names, "the context menu is the reader's own, without editing items",
               "items %s" % sorted(names))

        # Star the passage right-clicked.
        app.pointer.click(*app.center(items["Star as Exemplar"]))
        starred = wait_for(lambda: [s for s in read_project(app).segments if s["id"] == seg_a["id"] and s["exemplar"]],
                           what="passage A starred")
        tap.ok(bool(starred), "Star as Exemplar stars the passage right-clicked")

        # Select passage A's words, then right-click B: Show Coding Here
        # opens B.
        select_by_drag(app, reader, seg_a["start"], seg_a["end"])
        items = open_context_menu(app, reader, off_b)
        app.pointer.click(*app.center(items["Show Coding Here"]))
        def coding_popover():
            for label in app.find_all("label"):
                popover = tsrinput.popover_of(label)
                if popover is not None and popover.getRoleName() != "menu" and tsrinput.popover_shown(popover):
                    return popover
            return None

        popover = wait_for(coding_popover, what="the coding popover")
        labels = {n.name for n in app.find_all("label", root=popover) if n.name}
        b_code = seg_b["code"].split("/")[-1]
        a_code = seg_a["code"].split("/")[-1]
        tap.ok(any(b_code in l for l in labels) and not any(a_code in l for l in labels),
               "Show Coding Here opens the passage right-clicked, not the one selected",
               "popover shows %s" % sorted(labels)[:8])
        app.pointer.key("Escape")
        wait_for(lambda: not tsrinput.popover_shown(popover), what="the popover closed")

        # Remove Coding on B removes B, and only B.
        before = {s["id"] for s in read_project(app).segments}
        items = open_context_menu(app, reader, off_b)
        app.pointer.click(*app.center(items["Remove Coding"]))
        after = wait_for(lambda: (lambda now: now if now != before else None)({s["id"] for s in read_project(app).segments}),
                         what="a passage removed")
        tap.ok(before - after == {seg_b["id"]} and not after - before,
               "Remove Coding removes the passage right-clicked", "removed %s" % sorted(before - after))

        # Code With offers the recent code: code a passage with a code
        # from the tree, then another from the menu.
        app.pointer.click(*app.char_point(reader, 0, "start"))
        wait_for(lambda: app.selection(reader) is None, what="no selection")
        sel = select_by_drag(app, reader, seg_a["start"], seg_a["end"])
        before = segment_ids(app)
        row = code_row(app, "Meaning for staff")
        app.pointer.drag(app.center(row), app.char_point(reader, (sel[0] + sel[1]) // 2), steps=25)
        wait_new_segment(app, before, "the passage coded by a dropped code", code="Meaning for staff")
        s2, e2 = word_span(text, 2)[0], word_span(text, 4)[1]
        sel = select_by_drag(app, reader, s2, e2)
        items = open_context_menu(app, reader, s2 + 1)
        app.pointer.click(*app.center(items["Code With"]))
        recent = wait_for(lambda: menu_items(app).get("Meaning for staff"), what="the recent code in Code With")
        before = segment_ids(app)
        app.pointer.click(*app.center(recent))
        seg = wait_new_segment(app, before, "the passage coded from the menu", code="Meaning for staff")[0]
        tap.ok((seg["start"], seg["end"]) == trimmed(text, sel), "Code With codes the selection with the code chosen",
               "%d–%d" % (seg["start"], seg["end"]))
    finally:
        app.cleanup()


def code_paths(app):
    """The codes' paths in the tree's order, through tessera-cli."""
    return [line.split("\t")[0] for line in app.cli("codes", app.project).splitlines()[1:]]


def scenario_code_tree(tap):
    """Codes dragged in the tree: into another (a sub-code), before
    another (reordered); both undone with Ctrl+Z."""
    app = open_demo()
    try:
        reader_of(app)
        start = code_paths(app)

        # Into: the middle of a row.
        source = code_row(app, "Tensions and logistics")
        target = code_row(app, "Sustaining staff")
        app.pointer.drag(app.center(source), app.center(target), steps=25)
        paths = wait_for(lambda: (lambda p: p if p != start else None)(code_paths(app)),
                         what="the code moved")
        tap.ok("Sustaining staff/Tensions and logistics" in paths and "Tensions and logistics" not in paths and
               len(paths) == len(start),
               "a code dropped on the middle of another becomes its sub-code, with its own sub-codes",
               [p for p in paths if "Tensions" in p][:3])
        tap.ok(all(p.replace("Sustaining staff/Tensions", "Tensions") in start for p in paths),
               "nothing else moves")

        app.pointer.key("ctrl+z")
        tap.ok(wait_for(lambda: code_paths(app) == start, what="the move undone"),
               "Ctrl+Z puts it back where it was")

        # Before: the top quarter of a row.
        source = code_row(app, "Meaning for staff")
        target = code_row(app, "Standing together")
        x, y, w, h = app.extents(target)
        app.pointer.drag(app.center(source), (x + w // 2, y + max(2, h // 8)), steps=25)
        paths = wait_for(lambda: (lambda p: p if p != start else None)(code_paths(app)),
                         what="the code reordered")
        tops = [p for p in paths if "/" not in p]
        tap.ok(tops[0] == "Meaning for staff" and sorted(paths) == sorted(start),
               "a code dropped on the top edge of another goes before it", tops[:3])
        app.pointer.key("ctrl+z")
        tap.ok(wait_for(lambda: code_paths(app) == start, what="the reorder undone"),
               "Ctrl+Z puts the order back")
    finally:
        app.cleanup()


def theme_codes(app):
    """{theme name: {code path}} through tessera-cli."""
    project = read_project(app)
    themes = {t["id"]: t["name"] for t in project.tables["themes"]}
    found = {name: set() for name in themes.values()}
    for row in project.tables["theme_codes"]:
        found[themes[row["theme_id"]]].add(project.code_paths[row["code_id"]])
    return found


def open_view(app, name):
    app.pointer.click(*app.center(app.find("page tab", name)))


def map_items(app):
    """The theme map's themes (by name) and chips (by code name, with the
    theme box they are in), from the accessibility tree."""
    canvas = app.find(None, "Theme map")
    themes, chips = {}, {}
    for node in canvas:
        if node.getRoleName() == "list item":
            chips.setdefault(node.name, []).append(node)
        else:
            themes[node.name] = node
    return themes, chips


def scenario_theme_map(tap):
    """On the theme map: an unsorted code dragged from the bin into a
    theme, and a chip dragged from one theme to another, undone."""
    app = open_demo()
    try:
        reader_of(app)
        open_view(app, "Themes")
        themes, chips = wait_for(lambda: (lambda t: t if t[0] and t[1] else None)(map_items(app)),
                                 what="the map's themes and chips")
        start = theme_codes(app)

        def drop_point(theme):
            # Inside the theme's box, below its sub-themes: its own space.
            x, y, w, h = app.extents(map_items(app)[0][theme])
            return x + w // 2, y + h - 6

        def on_view(point):
            x, y, w, h = app.extents(app.find(None, "Theme map"))
            return x < point[0] < x + w and y < point[1] < y + h

        # A theme in view, not the one the chip below is in.
        TARGET = [t for t in ("Compassion", "Conveying solidarity", "Patient-centeredness")
                  if on_view(drop_point(t))][0]

        # An unsorted code from the bin onto a theme.
        # The bin lists the codes in no theme, left of the map (the Code
        # view's tree, hidden, has the same names).
        project = read_project(app)
        sorted_codes = set().union(*start.values())
        map_x = app.extents(app.find(None, "Theme map"))[0]
        bin_rows = []
        for path in project.code_paths.values():
            if path in sorted_codes:
                continue
            bin_rows += [(path, n) for n in app.find_all(None, path.split("/")[-1])
                         if n.getRoleName() != "list item" and app.extents(n)[0] < map_x]
        unsorted, row = bin_rows[0]
        unsorted = [unsorted]
        app.pointer.drag(app.center(row), drop_point(TARGET), steps=30)
        now = wait_for(lambda: (lambda c: c if c != start else None)(theme_codes(app)),
                       what="the code sorted into a theme")
        tap.ok(now[TARGET] - start[TARGET] == {unsorted[0]},
               "an unsorted code dragged from the bin onto a theme joins it",
               sorted(now[TARGET] - start[TARGET]))
        start = now

        # A chip from "Felt acknowledged" onto the target theme's box.
        chip = map_items(app)[1]["Felt seen"][0]
        app.pointer.drag(app.center(chip), drop_point(TARGET), steps=30, dnd=False)
        now = wait_for(lambda: (lambda c: c if c != start else None)(theme_codes(app)),
                       what="the chip moved")
        moved = [p for p in now[TARGET] - start[TARGET]]
        tap.ok([p.split("/")[-1] for p in moved] == ["Felt seen"] and
               not any(p.endswith("Felt seen") for p in now["Felt acknowledged"]),
               "a chip dragged onto another theme moves its code there", moved)
        app.pointer.key("ctrl+z")
        tap.ok(wait_for(lambda: theme_codes(app) == start, what="the move undone"),
               "Ctrl+Z puts the chip back")
    finally:
        app.cleanup()


def scenario_find_in_document(tap):
    """Ctrl+F in the reader opens the find bar; a typed word is counted
    and its first hit selected; Enter and Shift+Enter move between the
    hits; Escape closes the bar and gives the reader its focus back."""
    import re
    import pyatspi
    app = open_demo()
    try:
        reader = reader_of(app)
        text = app.text_of(reader)
        # A word of the document that comes back several times, and
        # where each of its hits is, counted here as the find bar
        # should: whole words starting with it, any case.
        words = [(m.start(), m.end(), m.group(0)) for m in re.finditer(r"\w+", text)]
        counts = {}
        for _s, _e, w in words:
            if len(w) >= 5 and w.isascii():
                counts[w.lower()] = counts.get(w.lower(), 0) + 1
        word = max(sorted(counts), key=lambda w: counts[w])
        hits = [(s, e) for s, e, w in words if w.lower().startswith(word)]
        tap.comment("finding %r: %d hits" % (word, len(hits)))

        app.pointer.click(*app.char_point(reader, 0, "start"))
        wait_for(lambda: reader.getState().contains(pyatspi.STATE_FOCUSED), what="the reader focused")
        app.pointer.key("ctrl+f")
        entry = app.find(None, "Find in the document")
        wait_for(lambda: entry.getState().contains(pyatspi.STATE_FOCUSED), what="the find entry focused")
        tap.ok(True, "Ctrl+F in the reader opens the find bar with the focus in its entry")

        app.pointer.type(word.upper())

        def count_label(n):
            name = "%d of %d" % (n, len(hits))
            return lambda: app.find_all("label", name)

        wait_for(count_label(1), what="the label “1 of %d”" % len(hits))
        sel = wait_for(lambda: app.selection(reader) == hits[0] and hits[0], what="the first hit selected")
        tap.ok(sel == hits[0], "the typed word is counted without case (1 of %d) and its first hit selected"
               % len(hits), "%r" % (sel,))
        shots = os.environ.get("TESSERA_INPUT_SHOTS", os.environ.get("TMPDIR", "/tmp"))
        os.makedirs(shots, exist_ok=True)
        app.screenshot(os.path.join(shots, "find-in-document.png"))

        app.pointer.key("Return")
        wait_for(count_label(2), what="the label “2 of %d”" % len(hits))
        sel = wait_for(lambda: app.selection(reader) == hits[1] and hits[1],
                       what="the second hit selected (it is %r)" % (app.selection(reader),))
        tap.ok(sel == hits[1], "Enter goes to the next hit and selects it", "%r" % (sel,))

        app.pointer.key("shift+Return")
        wait_for(count_label(1), what="the label “1 of %d” again" % len(hits))
        sel = wait_for(lambda: app.selection(reader) == hits[0] and hits[0], what="the first hit selected again")
        tap.ok(sel == hits[0], "Shift+Enter goes back to the previous hit", "%r" % (sel,))

        app.pointer.key("Escape")
        # The closed bar's revealer keeps its entry in the tree (GTK 4.8
        # tells no "showing"): the focus back in the text says it closed.
        wait_for(lambda: reader.getState().contains(pyatspi.STATE_FOCUSED) and
                 not entry.getState().contains(pyatspi.STATE_FOCUSED), what="the reader focused again")
        tap.ok(app.selection(reader) == hits[0],
               "Escape closes the find bar and gives the focus back to the text, the hit still selected")
    finally:
        app.cleanup()


SCENARIOS = [
    ("select-forward", scenario_select_forward),
    ("select-backward-in-vivo", scenario_select_backward_in_vivo),
    ("text-onto-codes", scenario_text_onto_codes),
    ("context-menu", scenario_context_menu),
    ("code-tree", scenario_code_tree),
    ("theme-map", scenario_theme_map),
    ("find-in-document", scenario_find_in_document),
]


def main(tap):
    for name, scenario in SCENARIOS:
        if ONLY and name not in ONLY:
            continue
        tap.comment("scenario %s" % name)
        try:
            scenario(tap)
        except Exception as e:  # noqa: BLE001 - one scenario's failure is reported, the rest run
            import traceback
            tap.comment(traceback.format_exc())

            tap.ok(False, "scenario %s ran to the end" % name, e)


tsrinput.run(main)
