# SPDX-License-Identifier: GPL-3.0-or-later
#
# tsrinput.py — drives the real Tessera app as a person does: the pointer
# and the keyboard through XTest (xdotool), positions read from the
# accessibility tree (pyatspi), and the project checked afterwards through
# tessera-cli.  Nothing here emits a GTK signal: a gesture that passes
# went through GTK's own event handling.
#
# Under Xvfb with no window manager the window sits at the screen's
# origin, so window-relative positions from the accessibility tree are
# screen positions.  Waits poll for a condition (the tree, the project),
# never a fixed time; the only pauses are the few milliseconds between
# pointer steps, which GTK needs to see motion as motion.
#
# Run with Debian's Python (/usr/bin/python3), which has pyatspi and gi.

import os
import shutil
import subprocess
import sys
import tempfile
import time
import traceback

TIMEOUT = 20


class Skip(Exception):
    pass


class Tap:
    """TAP output: a numbered line per check, a plan at the end."""

    def __init__(self):
        self.step = 0
        self.failed = 0

    def ok(self, good, name, detail=""):
        self.step += 1
        if not good:
            self.failed += 1
        line = ("ok" if good else "not ok") + " %d %s" % (self.step, name)
        if detail:
            line += " # " + str(detail).replace("\n", " ")
        print(line, flush=True)
        return good

    def comment(self, text):
        for line in str(text).splitlines():
            print("# " + line, flush=True)

    def done(self):
        print("1..%d" % self.step, flush=True)
        sys.exit(1 if self.failed else 0)

    def skip_all(self, reason):
        print("1..0 # SKIP %s" % reason, flush=True)
        sys.exit(0)


def wait_for(condition, timeout=TIMEOUT, what="a condition"):
    """Polls @condition until it returns something true; returns it, or
    raises TimeoutError naming @what."""
    deadline = time.monotonic() + timeout
    last_error = None
    while time.monotonic() < deadline:
        try:
            value = condition()
            if value:
                return value
        except Exception as e:  # noqa: BLE001 - not there yet
            last_error = e
        time.sleep(0.05)
    detail = ""
    # TESSERA_INPUT_SHOTS names a folder for a picture of the screen
    # when a wait fails.
    shots = os.environ.get("TESSERA_INPUT_SHOTS")
    if shots:
        os.makedirs(shots, exist_ok=True)
        path = os.path.join(shots, "timeout-%d.png" % int(time.time() * 1000))
        subprocess.run(["import", "-window", "root", path], check=False)
        detail = "; the screen: %s" % path
    raise TimeoutError("timed out waiting for %s%s%s" % (what, (" (%s)" % last_error) if last_error else "", detail))


def xdotool(*args):
    subprocess.run(["xdotool"] + [str(a) for a in args], check=True)


class Pointer:
    """The pointer and keyboard, through XTest."""

    def move(self, x, y):
        xdotool("mousemove", "--sync", int(x), int(y))

    def press(self, button=1):
        xdotool("mousedown", button)

    def release(self, button=1):
        xdotool("mouseup", button)

    def click(self, x, y, button=1, repeat=1):
        self.move(x, y)
        xdotool("click", "--repeat", repeat, "--delay", 60, button)

    def drag(self, start, end, steps=20, button=1, hold=None, dnd=True):
        """Presses at @start, moves in @steps to @end as a hand does (past
        GTK's drag threshold in small steps), releases there.  @hold, if
        given, is called with the pointer at @end before the release (to
        look at hover feedback).  @dnd says the gesture is a drag and
        drop (not a selection), to wait for its end."""
        x0, y0 = start
        x1, y1 = end
        shown = {w[5] for w in x_windows()}
        self.move(x0, y0)
        self.press(button)
        time.sleep(0.05)
        for i in range(1, steps + 1):
            self.move(x0 + (x1 - x0) * i / steps, y0 + (y1 - y0) * i / steps)
            time.sleep(0.02)
        # A drop target decides on the last motion: let it see a couple.
        for dx in (1, 0):
            self.move(x1 + dx, y1)
            time.sleep(0.05)
        if hold is not None:
            hold()
        # A drag and drop ends after the release, when both sides have
        # said so; a press before then is not seen.  The drag icon's
        # window (one that came with the drag) going away says it has.
        # (GTK's 1×1 window for the drag protocol stays.)
        during = {w[5] for w in x_windows() if w[2] > 1 and w[3] > 1} - shown
        self.release(button)
        if dnd:
            wait_for(lambda: not during & {w[5] for w in x_windows()}, timeout=10, what="the drag to end")

    def key(self, *keys):
        xdotool("key", "--clearmodifiers", *keys)

    def type(self, text):
        xdotool("type", "--delay", 20, text)


def x_windows():
    """The screen's top-level X windows that are shown: (x, y, width,
    height, name, id)."""
    import re
    out = subprocess.run(["xwininfo", "-root", "-children"], capture_output=True, text=True).stdout
    found = []
    for line in out.splitlines():
        m = re.match(r"\s+(0x[0-9a-f]+) (.*?):.*?\s(\d+)x(\d+)\+(-?\d+)\+(-?\d+)", line)
        if not m:
            continue
        wid, name = m.group(1), m.group(2)
        w, h, x, y = (int(m.group(i)) for i in (3, 4, 5, 6))
        state = subprocess.run(["xwininfo", "-id", wid], capture_output=True, text=True).stdout
        if "IsViewable" in state:
            found.append((x, y, w, h, name.strip('"'), wid))
    return found


def popover_of(node):
    """The popover @node is in, or None."""
    n = node
    while n is not None:
        role = n.getRoleName()
        if role in ("frame", "dialog", "alert", "window"):
            return None
        if (n.name or "") in ("GtkPopover", "GtkPopoverMenu"):
            return n
        n = n.parent
    return None


def popover_shown(popover):
    """Whether @popover is on the screen (GTK 4.8 leaves a closed
    popover's contents "visible" in the accessibility tree)."""
    import pyatspi
    e = popover.queryComponent().getExtents(pyatspi.WINDOW_COORDS)
    return any((w, h) == (e.width, e.height) for _, _, w, h, _, _ in x_windows())


def surface_offset(node):
    """What to add to @node's window-relative position (as GTK 4.8 gives
    it) to get the screen's.  GTK measures from the window's content,
    inside the invisible border it keeps for resizing (and shadows), and
    a popover's contents from the popover as though it were in its
    parent's place; the X windows say where each really is."""
    import pyatspi
    popover = popover_of(node)
    frame = None
    n = node
    while n is not None:
        if n.getRoleName() in ("frame", "dialog", "alert", "file chooser", "window"):
            frame = n
            break
        n = n.parent
    windows = x_windows()
    if popover is not None:
        e = popover.queryComponent().getExtents(pyatspi.WINDOW_COORDS)
        for x, y, w, h, _, _ in windows:
            if (w, h) == (e.width, e.height):
                return x - e.x, y - e.y
    if frame is not None:
        e = frame.queryComponent().getExtents(pyatspi.WINDOW_COORDS)
        best = None
        for x, y, w, h, name, _ in windows:
            if name == frame.name and w >= e.width and h >= e.height:
                best = (x + (w - e.width) // 2, y + (h - e.height) // 2)
        if best is not None:
            return best
    return 0, 0


class App:
    """The tessera program on a copy of a project, with its own settings."""

    # Who codes in the copy, remembered in it with `tessera-cli set-coder`
    # so that the first edit does not ask; None leaves the question to
    # the test.
    CODER = "Input Tester"

    def __init__(self, tessera, project, schema_dir, cli=None, width=None, height=None, coder=CODER):
        self.work = tempfile.mkdtemp(prefix="tessera-input-")
        self.project = os.path.join(self.work, os.path.basename(project))
        shutil.copy(project, self.project)
        self.cli_path = cli or os.environ.get("TESSERA_CLI")
        if coder is not None and self.cli_path:
            self.cli("set-coder", self.project, coder)
        self.pointer = Pointer()
        env = dict(os.environ)
        env.pop("GTK_A11Y", None)
        env.update({
            "GDK_BACKEND": "x11",
            "GSETTINGS_BACKEND": "memory",
            "GSETTINGS_SCHEMA_DIR": schema_dir,
            "XDG_DATA_HOME": os.path.join(self.work, "data"),
            "XDG_CONFIG_HOME": os.path.join(self.work, "config"),
            "XDG_CACHE_HOME": os.path.join(self.work, "cache"),
        })
        self.env = env
        self.tessera = tessera
        self.process = None
        self.root = None

    # The program ------------------------------------------------------

    def start(self, *extra):
        import pyatspi
        self.process = subprocess.Popen([self.tessera, self.project] + list(extra), env=self.env)
        pid = self.process.pid

        def find_app():
            desktop = pyatspi.Registry.getDesktop(0)
            for app in desktop:
                if app is not None and app.get_process_id() == pid and app.childCount > 0:
                    return app
            return None

        self.root = wait_for(find_app, what="Tessera in the accessibility tree")
        return self

    def stop(self):
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
            self.process = None

    def running(self):
        return self.process is not None and self.process.poll() is None

    def cleanup(self):
        self.stop()
        shutil.rmtree(self.work, ignore_errors=True)

    # The accessibility tree -------------------------------------------

    def find_all(self, role=None, name=None, root=None, showing=True, pred=None):
        """Every accessible below @root (the app) with that role name and
        accessible name (a string, or a callable taking the name)."""
        import pyatspi
        found = []

        def match(node):
            if node is None:
                return False
            if role is not None and node.getRoleName() != role:
                return False
            if name is not None:
                if callable(name):
                    if not name(node.name):
                        return False
                elif node.name != name:
                    return False
            # GTK 4.8 sets no "showing" state: visible, with a size, is
            # the nearest it tells.
            if showing:
                if not node.getState().contains(pyatspi.STATE_VISIBLE):
                    return False
                e = node.queryComponent().getExtents(pyatspi.WINDOW_COORDS)
                if e.width <= 0 or e.height <= 0:
                    return False
            if pred is not None and not pred(node):
                return False
            return True

        def walk(node, depth=0):
            if depth > 60:
                return
            for child in node:
                if child is None:
                    continue
                if match(child):
                    found.append(child)
                walk(child, depth + 1)

        walk(root or self.root)
        return found

    def find(self, role=None, name=None, root=None, timeout=TIMEOUT, showing=True, pred=None):
        """The first such accessible, waiting for it to appear."""
        return wait_for(lambda: (self.find_all(role, name, root, showing, pred) or [None])[0],
                        timeout, "%s %r" % (role or "an accessible", name))

    @staticmethod
    def extents(node):
        """Where @node is on the screen: x, y, width, height."""
        import pyatspi
        e = node.queryComponent().getExtents(pyatspi.WINDOW_COORDS)
        dx, dy = surface_offset(node)
        return e.x + dx, e.y + dy, e.width, e.height

    def center(self, node):
        x, y, w, h = self.extents(node)
        return x + w // 2, y + h // 2

    # Text -------------------------------------------------------------

    @staticmethod
    def text_of(node):
        t = node.queryText()
        return t.getText(0, t.characterCount)

    @staticmethod
    def char_point(node, offset, where="middle"):
        """Where a person presses on character @offset: its left edge
        ("start"), middle, or right edge ("end")."""
        import pyatspi
        x, y, w, h = node.queryText().getCharacterExtents(offset, pyatspi.WINDOW_COORDS)
        dx, dy = surface_offset(node)
        cx = {"start": x + 1, "middle": x + w // 2, "end": x + w - 1}[where]
        return cx + dx, y + h // 2 + dy

    @staticmethod
    def selection(node):
        t = node.queryText()
        if t.getNSelections() == 0:
            return None
        return tuple(t.getSelection(0))

    # The project, read as a script would ------------------------------

    def cli(self, *args):
        out = subprocess.run([self.cli_path] + [str(a) for a in args],
                             capture_output=True, text=True)
        if out.returncode != 0:
            raise RuntimeError("tessera-cli %s: %s" % (" ".join(map(str, args)), out.stderr.strip()))
        return out.stdout

    def screenshot(self, path):
        subprocess.run(["import", "-window", "root", path], check=False)


def run(main, plan_name="real input"):
    """Sets up accessibility, runs main(tap), reports TAP; skips when the
    pieces are missing (no pyatspi, no xdotool, no display)."""
    tap = Tap()
    try:
        from gi.repository import Gio
        Gio.Settings.new("org.gnome.desktop.interface").set_boolean("toolkit-accessibility", True)
        import pyatspi  # noqa: F401
    except Exception as e:  # noqa: BLE001 - cannot run here
        tap.skip_all("pyatspi is needed (%s)" % e)
    if shutil.which("xdotool") is None:
        tap.skip_all("xdotool is needed")
    if not os.environ.get("DISPLAY"):
        tap.skip_all("a display is needed")
    try:
        main(tap)
    except Skip as e:
        tap.comment("skipped the rest: %s" % e)
    except Exception:  # noqa: BLE001 - report, as TAP, what went wrong
        tap.comment(traceback.format_exc())
        tap.ok(False, "%s ran to the end" % plan_name)
    tap.done()


class Project:
    """A project read back through `tessera-cli export-json`: the tables,
    and its segments with their document, code and coder by name."""

    def __init__(self, tables):
        self.tables = tables
        docs = {d["id"]: d["name"] for d in tables["documents"]}
        codes = {c["id"]: c for c in tables["codes"]}
        coders = {c["id"]: c["name"] for c in tables["coders"]}

        def path(code_id):
            parts = []
            while code_id is not None:
                parts.insert(0, codes[code_id]["name"])
                code_id = codes[code_id]["parent_id"]
            return "/".join(parts)

        self.code_paths = {c["id"]: path(c["id"]) for c in tables["codes"]}
        self.segments = [dict(s, document=docs[s["document_id"]], code=self.code_paths[s["code_id"]],
                              coder=coders[s["coder_id"]])
                         for s in tables["segments"]]

    def segments_of(self, code=None, document=None, coder=None):
        return [s for s in self.segments
                if (code is None or s["code"] == code or s["code"].endswith("/" + code))
                and (document is None or s["document"] == document)
                and (coder is None or s["coder"] == coder)]


def read_project(app):
    import json
    return Project(json.loads(app.cli("export-json", app.project, "--out", "-"))["tables"])
