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
# Built on the real-input helpers (tsrinput.py); run with Debian's
# Python (/usr/bin/python3) under Xvfb and a session bus.
#
# usage: test-who-is-coding.py TESSERA TESSERA_CLI SCHEMA_DIR

import os
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import tsrinput  # noqa: E402
from tsrinput import read_project, wait_for  # noqa: E402

if len(sys.argv) != 4:
    print("Bail out! usage: test-who-is-coding.py TESSERA TESSERA_CLI SCHEMA_DIR", flush=True)
    sys.exit(1)

TESSERA, CLI, SCHEMA_DIR = sys.argv[1:4]
NAME = "Mina Park"
TEXT = ("We gathered round her bed and clapped when the porters came. "
        "Nobody said much; a card went round the ward and everyone signed it.\n")


def prepare(work):
    """A project a lead set up: one essay imported under her name, one
    code, and nobody remembered as coding on this account."""
    project = os.path.join(work, "study.tessera")
    essay = os.path.join(work, "essay.txt")
    with open(essay, "w", encoding="utf-8") as f:
        f.write(TEXT)
    env = dict(os.environ)
    env.pop("TESSERA_CODER", None)
    for args in (["new", project, "--title", "Ward rituals"],
                 ["--coder", "Lead Researcher", "import", project, essay],
                 ["add-code", project, "Solidarity"]):
        subprocess.run([CLI] + args, env=env, check=True, capture_output=True)
    return project


def coders_of_segments(app):
    return [(s["text"], s["coder"]) for s in read_project(app).segments]


def coder_entry(app):
    found = app.find_all("text", "Your name") + app.find_all("entry", "Your name")
    return found[0] if found else None


def give_keyboard(app):
    """Without a window manager nobody gives the window the keyboard back
    when a dialog closes or the app starts: give it, as a click on its
    title would."""
    windows = subprocess.run(["xdotool", "search", "--onlyvisible", "--pid", str(app.process.pid)],
                             capture_output=True, text=True).stdout.split()
    if windows:
        subprocess.run(["xdotool", "windowfocus", "--sync", windows[0]], check=False)


def code_words(app, n_words, skip=0, at_end=False, code=None):
    """Selects words with the keyboard — @n_words after the first @skip,
    or the last @n_words — and codes them: through the code filter
    (Ctrl+Shift+F, the name, Enter, Enter) when @code is given, else
    with the most recent code (Ctrl+1)."""
    give_keyboard(app)
    reader = app.find("text", "Document text")
    x, y, w, h = app.extents(reader)
    app.pointer.click(x + w // 2, y + min(h // 2, 120))
    time.sleep(0.3)
    if at_end:
        app.pointer.key("ctrl+End")
        for _ in range(n_words):
            app.pointer.key("ctrl+shift+Left")
    else:
        app.pointer.key("ctrl+Home")
        for _ in range(skip):
            app.pointer.key("ctrl+Right")
        for _ in range(n_words):
            app.pointer.key("ctrl+shift+Right")
    time.sleep(0.3)
    if code is None:
        app.pointer.key("ctrl+1")
        return
    app.pointer.key("ctrl+shift+f")
    time.sleep(0.4)
    app.pointer.key("ctrl+a")
    app.pointer.type(code)
    time.sleep(0.8)
    app.pointer.key("Return")
    time.sleep(0.4)
    app.pointer.key("Return")


def main(tap):
    work = tempfile.mkdtemp(prefix="tessera-who-")
    app = None
    try:
        app = tsrinput.App(TESSERA, prepare(work), SCHEMA_DIR, cli=CLI, coder=None).start()

        asks = app.find("push button", lambda n: n.startswith("Say who is coding"))
        tap.ok(asks is not None, "the header says nobody said who is coding yet")
        time.sleep(0.5)
        tap.ok(coder_entry(app) is None, "opening the project does not ask")

        code_words(app, 3, code="Solidarity")
        entry = wait_for(lambda: coder_entry(app), what="the question who is coding")
        tap.ok(entry is not None, "the first edit asks who is coding")

        # The entry has the keyboard: type over what it offers, Enter.
        app.pointer.key("ctrl+a")
        app.pointer.type(NAME)
        time.sleep(0.3)
        app.pointer.key("Return")
        # Read through tessera-cli, not the accessibility tree: GTK 4.8
        # loses its accessibility connection when asked about a window
        # being destroyed.
        wait_for(lambda: any(c == NAME for _, c in coders_of_segments(app)), what="the coding named")
        segments = coders_of_segments(app)
        tap.ok(segments == [("We gathered round", NAME)],
               "Enter answers, and tessera-cli reads the coding under the name typed", segments)
        time.sleep(1.0)
        tap.ok(coder_entry(app) is None, "the dialog is gone")
        header = app.find("push button", lambda n: n.startswith("Coding as " + NAME))
        tap.ok(header is not None, "the header shows who is coding")

        # A second edit, elsewhere: no question.
        code_words(app, 3, at_end=True)
        two = wait_for(lambda: len(coders_of_segments(app)) == 2, what="the second coding")
        time.sleep(1.0)
        tap.ok(two and coder_entry(app) is None, "the next edit does not ask", coders_of_segments(app))

        # Opened again: remembered in the file.
        app.stop()
        app.start()
        header = app.find("push button", lambda n: n.startswith("Coding as " + NAME))
        tap.ok(header is not None, "opened again, the project knows who is coding")
        code_words(app, 2, skip=6)
        wait_for(lambda: len(coders_of_segments(app)) == 3, what="the third coding")
        time.sleep(1.0)
        coders = {c for _, c in coders_of_segments(app)}
        tap.ok(coder_entry(app) is None and coders == {NAME},
               "and codes under that name without asking", coders)
    except Exception:
        if app is not None and os.environ.get("TESSERA_INPUT_SHOTS"):
            os.makedirs(os.environ["TESSERA_INPUT_SHOTS"], exist_ok=True)
            app.screenshot(os.path.join(os.environ["TESSERA_INPUT_SHOTS"], "who-is-coding.png"))
        raise
    finally:
        if app is not None:
            app.cleanup()
        shutil.rmtree(work, ignore_errors=True)


tsrinput.run(main, "who is coding")
