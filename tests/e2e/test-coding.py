#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
#
# test-coding.py — codes a passage of the demo as a person would, through
# the accessibility tree: opens the demo, selects a passage in the reader,
# finds a code with the code filter, codes the passage with Enter, sees
# the code's count of coded passages rise, and undoes it with the Undo
# button.  Prints TAP.
#
# Run with Debian's Python (/usr/bin/python3) under Xvfb and a session
# bus; meson runs it as the "e2e-coding" test of the ui suite.  Without
# dogtail it reports itself skipped.
#
# usage: test-coding.py TESSERA DEMO SCHEMA_DIR

import io
import os
import shutil
import subprocess
import sys
import tempfile
import time
import traceback

PLAN = 6
step = 0


def tap(ok, name, detail=""):
    global step
    step += 1
    print(("ok" if ok else "not ok") + " %d %s%s" % (step, name, (" # " + detail) if detail else ""))
    sys.stdout.flush()
    return ok


def skip_all(reason):
    print("1..0 # SKIP %s" % reason)
    sys.exit(0)


def bail(reason):
    print("Bail out! %s" % reason)
    sys.stdout.flush()
    sys.exit(1)


if len(sys.argv) != 4:
    bail("usage: test-coding.py TESSERA DEMO SCHEMA_DIR")

tessera, demo, schema_dir = sys.argv[1:4]

os.environ["GSETTINGS_BACKEND"] = "memory"
os.environ["GSETTINGS_SCHEMA_DIR"] = schema_dir
os.environ.pop("GTK_A11Y", None)

try:
    from gi.repository import Gio

    # dogtail refuses to run unless the desktop says accessibility is on.
    Gio.Settings.new("org.gnome.desktop.interface").set_boolean("toolkit-accessibility", True)

    # dogtail talks on stdout while it loads; TAP wants only its lines.
    real_stdout, sys.stdout = sys.stdout, io.StringIO()
    try:
        import pyatspi  # noqa: F401
        from dogtail import config
        from dogtail import rawinput
        from dogtail import tree
        from dogtail.predicate import GenericPredicate
    finally:
        chatter, sys.stdout = sys.stdout.getvalue(), real_stdout
except Exception as e:  # noqa: BLE001 - any missing piece means: cannot run here
    skip_all("dogtail and pyatspi are needed (%s)" % e)
for line in chatter.splitlines():
    print("# " + line)

config.config.searchShowingOnly = False
config.config.defaultDelay = 0.2
config.config.searchCutoffCount = 10
config.config.logDebugToStdOut = False
config.config.logDebugToFile = False

print("1..%d" % PLAN)

work = tempfile.mkdtemp(prefix="tessera-e2e-")
demo_copy = os.path.join(work, "demo.tessera")
shutil.copy(demo, demo_copy)

# Say who is coding here, so that the first edit does not ask.
if os.environ.get("TESSERA_CLI"):
    subprocess.run([os.environ["TESSERA_CLI"], "set-coder", demo_copy, "Eve Tester"], check=True)

env = dict(os.environ)
env["TESSERA_DEMO_PATH"] = demo_copy
env["GDK_BACKEND"] = "x11"
env["XDG_DATA_HOME"] = os.path.join(work, "data")
env["XDG_CONFIG_HOME"] = os.path.join(work, "config")
app_process = subprocess.Popen([tessera, "--demo"], env=env)


def wait_for(what, find, timeout=30):
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            found = find()
            if found is not None:
                return found
        except Exception:  # noqa: BLE001 - not there yet
            pass
        time.sleep(0.3)
    return None


def find_all(node, role=None, name=None):
    return node.findChildren(GenericPredicate(roleName=role, name=name), recursive=True)


def first(node, role=None, name=None):
    found = find_all(node, role, name)
    return found[0] if found else None


def count_label_beside(row_name):
    """The passages count shown in the code tree row named row_name."""
    for row in find_all(app, None, row_name):
        labels = [c.name for c in find_all(row, "label") if c.name.isdigit()]
        if len(labels) >= 2:
            return int(labels[1])
    return None


try:
    # A loaded machine (CI, parallel builds) can take long to start the app
    # and register it; waiting longer costs nothing when it is quick.
    app = wait_for("the application", lambda: tree.root.application("tessera"), timeout=120)
    if not tap(app is not None, "the application shows in the accessibility tree"):
        bail("no application")

    reader = wait_for("the reader", lambda: first(app, "text", "Document text"))
    if not tap(reader is not None, "the demo opens with a document in the reader"):
        bail("no reader")

    # Select the essay's first words with the keyboard, as a
    # person who does not use a mouse would.
    # GTK 4.8 offers no accessible focus or click on a text view, and
    # gives positions in window coordinates: under Xvfb, with no window
    # manager, the window sits at the screen's origin, so those are
    # where to click.
    (x, y), (w, h) = reader.position, reader.size
    rawinput.click(x + w // 2, y + min(h // 2, 200))
    time.sleep(0.5)
    rawinput.keyCombo("<Control>Home")
    for _ in range(3):
        rawinput.keyCombo("<Control><Shift>Right")
    time.sleep(0.5)
    text = reader.queryText()
    start, end = text.getSelection(0) if text.getNSelections() > 0 else (0, 0)
    words = text.getText(start, end)
    tap(start == 0 and end >= 10 and words.strip() == words and len(words.split()) >= 2,
        "a passage is selected in the reader",
        "selection %d-%d: %r" % (start, end, words))

    # The code filter: type the code's name, Enter selects it, Enter on
    # the code codes the selected passage.
    code = "Standing together"
    # The demo has consensus coding, which its counts show by default; a
    # coder coding independently hides the others' coding and sees their
    # own counted (Ctrl+Shift+O).
    rawinput.keyCombo("<Control><Shift>o")
    time.sleep(1.0)
    before = wait_for("the count", lambda: count_label_beside(code))
    rawinput.keyCombo("<Control><Shift>f")
    time.sleep(0.5)
    rawinput.typeText(code)
    time.sleep(1.0)
    rawinput.pressKey("Return")
    time.sleep(0.5)
    rawinput.pressKey("Return")
    after = wait_for("the new count", lambda: (count_label_beside(code) if count_label_beside(code) != before else None), 10)
    tap(before is not None and after == before + 1, "coding the passage raises the code's count",
        "%s → %s" % (before, after))

    undo = first(app, "push button", "Undo")
    undo.doActionNamed("click")
    undone = wait_for("the count back", lambda: (count_label_beside(code) if count_label_beside(code) == before else None), 10)
    tap(undone == before, "Undo takes the coding back", "%s → %s" % (after, undone))

    tap(app_process.poll() is None, "the application is still running")
except Exception:  # noqa: BLE001 - report, as TAP, what went wrong
    for line in traceback.format_exc().splitlines():
        print("# " + line)
    bail("the run stopped at step %d" % (step + 1))
finally:
    app_process.terminate()
    try:
        app_process.wait(10)
    except subprocess.TimeoutExpired:
        app_process.kill()
    shutil.rmtree(work, ignore_errors=True)
