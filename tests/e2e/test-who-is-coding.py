#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
#
# test-who-is-coding.py — the first edit in a project asks who is coding,
# with real input: a project prepared by someone else (its documents
# imported under their name, nobody remembered on this account) is
# opened, a passage is selected and coded with the keyboard (XTest
# through xdotool), the "Who Is Coding?" dialog is answered by typing a
# name and pressing Enter, and tessera-cli then reads the project: the
# coding carries the name typed.  A second edit does not ask, and nor
# does the app opened again on the same file.  Prints TAP.
#
# Positions come from the accessibility tree (pyatspi); under Xvfb with
# no window manager the window sits at the screen's origin, so window
# coordinates are screen coordinates.
#
# Run with Debian's Python (/usr/bin/python3) under Xvfb and a session
# bus; it reports itself skipped without pyatspi or xdotool.
#
# usage: test-who-is-coding.py TESSERA TESSERA_CLI SCHEMA_DIR

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import traceback

step = 0
failed = 0


def tap(ok, name, detail=""):
    global step, failed
    step += 1
    if not ok:
        failed += 1
    print(("ok" if ok else "not ok") + " %d %s%s" % (step, name, (" # " + str(detail)) if detail else ""),
          flush=True)
    return ok


def skip_all(reason):
    print("1..0 # SKIP %s" % reason, flush=True)
    sys.exit(0)


if len(sys.argv) != 4:
    print("Bail out! usage: test-who-is-coding.py TESSERA TESSERA_CLI SCHEMA_DIR", flush=True)
    sys.exit(1)

tessera, cli, schema_dir = sys.argv[1:4]

if shutil.which("xdotool") is None:
    skip_all("xdotool is needed")
try:
    import pyatspi
except Exception as e:  # noqa: BLE001 - cannot run here
    skip_all("pyatspi is needed (%s)" % e)

NAME = "Mina Park"
TEXT = ("We gathered round her bed and clapped when the porters came. "
        "Nobody said much; a card went round the ward and everyone signed it.\n")

work = tempfile.mkdtemp(prefix="tessera-who-")
project = os.path.join(work, "study.tessera")
env = dict(os.environ)
env["GSETTINGS_BACKEND"] = "memory"
env["GSETTINGS_SCHEMA_DIR"] = schema_dir
env["GDK_BACKEND"] = "x11"
env["XDG_DATA_HOME"] = os.path.join(work, "data")
env["XDG_CONFIG_HOME"] = os.path.join(work, "config")
env.pop("GTK_A11Y", None)
env.pop("TESSERA_CODER", None)


def run_cli(*args):
    return subprocess.run([cli] + list(args), env=env, check=True, capture_output=True, text=True).stdout


def xdotool(*args):
    subprocess.run(["xdotool"] + [str(a) for a in args], check=True)


def wait_for(find, timeout=20):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            found = find()
            if found:
                return found
        except Exception:  # noqa: BLE001 - not there yet
            pass
        time.sleep(0.1)
    return None


def app_node():
    desktop = pyatspi.Registry.getDesktop(0)
    for i in range(desktop.childCount):
        child = desktop.getChildAtIndex(i)
        if child is not None and child.name == "tessera":
            return child
    return None


def find_all(root, pred):
    found = []

    # A node that went away (a closed dialog) is skipped, not the rest.
    def walk(node, depth):
        if node is None or depth > 60:
            return
        try:
            if pred(node):
                found.append(node)
            n = node.childCount
        except Exception:  # noqa: BLE001
            return
        for i in range(n):
            try:
                child = node.getChildAtIndex(i)
            except Exception:  # noqa: BLE001
                continue
            walk(child, depth + 1)

    walk(root, 0)
    return found


def by_role_name(root, role, name=None, prefix=False):
    def pred(node):
        # GTK 4.8 does not report what is showing: every node counts.
        if node.getRoleName() != role:
            return False
        if name is None:
            return True
        return node.name.startswith(name) if prefix else node.name == name
    return find_all(root, pred)


def center(node):
    ext = node.queryComponent().getExtents(pyatspi.WINDOW_COORDS)
    return ext.x + ext.width // 2, ext.y + ext.height // 2, ext


def segments_by_coder():
    tables = json.loads(run_cli("export-json", project))["tables"]
    names = {c["id"]: c["name"] for c in tables["coders"]}
    return [(s["text"], names.get(s["coder_id"])) for s in tables["segments"]]


def coder_dialog(app):
    app = app_node() or app
    found = by_role_name(app, "entry", "Your name") or by_role_name(app, "text", "Your name")
    return found[0] if found else None


def code_words(app, n_words, code=None, skip=0, at_end=False):
    """Selects words of the document with the keyboard — @n_words after
    the first @skip, or the last @n_words — then codes them: with the
    code filter (Ctrl+Shift+F, the name, Enter, Enter) when @code is
    given, else with the most recent code (Ctrl+1)."""
    # Without a window manager nobody gives the window the keyboard back
    # when a dialog closes or the app starts again: give it, as one would.
    windows = subprocess.run(["xdotool", "search", "--onlyvisible", "--pid", str(app_process.pid)],
                             capture_output=True, text=True).stdout.split()
    if windows:
        subprocess.run(["xdotool", "windowfocus", "--sync", windows[0]])
    reader = wait_for(lambda: by_role_name(app_node(), "text", "Document text"))
    x, y, ext = center(reader[0])
    xdotool("mousemove", ext.x + ext.width // 2, ext.y + min(ext.height // 2, 120), "click", 1)
    time.sleep(0.4)
    if at_end:
        xdotool("key", "ctrl+End")
        for _ in range(n_words):
            xdotool("key", "ctrl+shift+Left")
    else:
        xdotool("key", "ctrl+Home")
        for _ in range(skip):
            xdotool("key", "ctrl+Right")
        for _ in range(n_words):
            xdotool("key", "ctrl+shift+Right")
    time.sleep(0.3)
    if code is None:
        xdotool("key", "ctrl+1")
        return
    xdotool("key", "ctrl+shift+f")
    time.sleep(0.4)
    xdotool("key", "ctrl+a")
    xdotool("type", "--delay", "40", code)
    time.sleep(0.8)
    xdotool("key", "Return")
    time.sleep(0.4)
    xdotool("key", "Return")


def start_app():
    return subprocess.Popen([tessera, project], env=env)


def stop_app(process):
    process.terminate()
    try:
        process.wait(10)
    except subprocess.TimeoutExpired:
        process.kill()


app_process = None
try:
    # Prepared by the lead, under her name; nobody is remembered here.
    text_file = os.path.join(work, "essay.txt")
    with open(text_file, "w", encoding="utf-8") as f:
        f.write(TEXT)
    run_cli("new", project, "--title", "Ward rituals")
    run_cli("--coder", "Lead Researcher", "import", project, text_file)
    run_cli("add-code", project, "Solidarity")

    app_process = start_app()
    app = wait_for(app_node)
    if not tap(app is not None, "the application shows in the accessibility tree"):
        raise RuntimeError("no application")

    button = wait_for(lambda: by_role_name(app, "push button", "Say who is coding", prefix=True))
    tap(button is not None, "the header says nobody said who is coding yet")
    tap(coder_dialog(app) is None, "opening the project does not ask")

    code_words(app, 3, "Solidarity")
    entry = wait_for(lambda: coder_dialog(app), 10)
    tap(entry is not None, "the first edit asks who is coding")
    if entry is None:
        raise RuntimeError("no dialog")

    # The entry has the keyboard focus: type over what it offers, Enter.
    xdotool("key", "ctrl+a")
    xdotool("type", "--delay", "40", NAME)
    time.sleep(0.3)
    xdotool("key", "Return")
    # Read through tessera-cli, not the accessibility tree: GTK 4.8 loses
    # its accessibility connection when asked about a closing dialog.
    segments = wait_for(lambda: [s for s in segments_by_coder() if s[1] == NAME], 10) or []
    segments = segments_by_coder()
    tap(len(segments) == 1 and segments[0][1] == NAME,
        "Enter answers, and tessera-cli reads the coding under the name typed", segments)
    time.sleep(1.0)
    tap(coder_dialog(app) is None, "the dialog is gone")
    header = wait_for(lambda: by_role_name(app_node(), "push button", "Coding as " + NAME, prefix=True), 10)
    if not tap(header is not None, "the header shows who is coding"):
        desktop = pyatspi.Registry.getDesktop(0)
        print("# desktop: %r" % [desktop.getChildAtIndex(i).name for i in range(desktop.childCount)])
        print("# buttons: %r" % [b.name for b in by_role_name(app_node(), "push button")][:30])

    # A second edit, elsewhere: no question.
    code_words(app, 3, at_end=True)
    more = wait_for(lambda: len(segments_by_coder()) == 2, 10)
    time.sleep(1.0)
    tap(more and coder_dialog(app) is None, "the next edit does not ask")

    # Opened again: remembered in the file.
    stop_app(app_process)
    app_process = start_app()
    app = wait_for(lambda: app_node() if by_role_name(app_node(), "push button", "Coding as " + NAME,
                                                      prefix=True) else None)
    tap(app is not None, "opened again, the project knows who is coding")
    if app is not None:
        code_words(app, 2, skip=6)
        three = wait_for(lambda: len(segments_by_coder()) == 3, 10)
        time.sleep(1.0)
        coders = set(c for _, c in segments_by_coder())
        tap(three and coder_dialog(app) is None and coders == {NAME},
            "and codes under that name without asking", coders)
    print("1..%d" % step, flush=True)
except Exception:  # noqa: BLE001 - report, as TAP, what went wrong
    # TESSERA_INPUT_SHOTS names a folder for a picture of the screen.
    if os.environ.get("TESSERA_INPUT_SHOTS") and shutil.which("import"):
        subprocess.run(["import", "-window", "root",
                        os.path.join(os.environ["TESSERA_INPUT_SHOTS"], "who-is-coding-failed.png")])
    for line in traceback.format_exc().splitlines():
        print("# " + line, flush=True)
    print("Bail out! the run stopped after step %d" % step, flush=True)
    failed += 1
finally:
    if app_process is not None:
        stop_app(app_process)
    shutil.rmtree(work, ignore_errors=True)

sys.exit(1 if failed else 0)
