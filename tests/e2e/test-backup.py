#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
#
# test-backup.py — Save a Copy… and Open a Backup… with a real pointer and
# keyboard: the main menu opened with a click, "Save a Copy…" chosen, a
# path typed into the file chooser and Enter pressed; the copy is read
# back through tessera-cli.  Opening the project made a backup in the
# background; "Open a Backup…" offers it, it is saved as a new project
# under a typed name, and that project opens.  Prints TAP.
#
# usage: test-backup.py TESSERA DEMO SCHEMA_DIR
#        (TESSERA_CLI names tessera-cli)

import glob
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import tsrinput  # noqa: E402
from tsrinput import wait_for  # noqa: E402

if len(sys.argv) < 4:
    print("Bail out! usage: test-backup.py TESSERA DEMO SCHEMA_DIR")
    sys.exit(1)

TESSERA, DEMO, SCHEMA_DIR = sys.argv[1:4]


def choose_from_main_menu(app, item):
    """Clicks the main menu button, then @item in its menu."""
    button = app.find(None, "Main Menu", pred=lambda n: "button" in n.getRoleName())
    for attempt in range(3):
        app.pointer.click(*app.center(button))
        try:
            entry = wait_for(lambda: (app.find_all(None, item) or [None])[0],
                             timeout=5, what="the menu item %r" % item)
            break
        except TimeoutError:
            if attempt == 2:
                raise
    app.pointer.click(*app.center(entry))


def chooser(app, title):
    """The file chooser of that title (GTK's own dialog, with no portal
    here).  GTK 4.8 lists a dialog as a top-level "filler" that is not
    marked as showing; its chooser widget being there says it is up."""
    dialog = app.find(None, title, root=app.root, showing=False,
                      pred=lambda n: n.parent == app.root)
    app.find("filler", "GtkFileChooserWidget", root=dialog, showing=False)
    return dialog


def type_path(app, path):
    """Replaces the chooser's file name with @path and presses Enter."""
    app.pointer.key("ctrl+a")
    app.pointer.type(path)
    app.pointer.key("Return")


def documents_of(app, path):
    out = app.cli("docs", path)
    return [line.split("\t")[1] for line in out.splitlines()[1:]]


def main(tap):
    app = tsrinput.App(TESSERA, DEMO, SCHEMA_DIR).start()
    try:
        app.find("label", "E01 – ICU nurse")
        expected = documents_of(app, app.project)

        # Save a Copy…
        copy = os.path.join(app.work, "copy of the demo.tessera")
        choose_from_main_menu(app, "Save a Copy…")
        chooser(app, "Save a Copy of the Project")
        type_path(app, copy)
        wait_for(lambda: os.path.exists(copy), what="the copy on disk")
        toast = wait_for(lambda: (app.find_all("label", "Copy saved as “copy of the demo.tessera”") or [None])[0],
                         what="the toast that says the copy was saved")
        tap.ok(toast is not None, "Save a Copy… says it saved the copy")
        tap.ok(documents_of(app, copy) == expected, "the copy holds the project's documents",
               documents_of(app, copy))

        # Opening the project made a backup in the background.
        backups = wait_for(lambda: glob.glob(os.path.join(app.work, "data", "tessera", "backups", "*", "*.tessera")),
                           what="a backup in the data folder")
        tap.ok(len(backups) == 1, "opening the project made one backup", backups)

        # Open a Backup… → the backup chosen → saved under a new name.
        restored = os.path.join(app.work, "restored.tessera")
        choose_from_main_menu(app, "Open a Backup…")
        chooser(app, "Open a Backup")
        type_path(app, backups[0])
        chooser(app, "Save the Restored Project")
        type_path(app, restored)
        wait_for(lambda: os.path.exists(restored), what="the restored project on disk")
        tap.ok(documents_of(app, restored) == expected, "the restored backup holds the project's documents")
        title = wait_for(lambda: (app.find_all(None, "restored") or [None])[0],
                         what="the restored project open in a window")
        tap.ok(title is not None, "the restored project opens")
    finally:
        app.cleanup()


if __name__ == "__main__":
    tsrinput.run(main, "Save a Copy and Open a Backup")
