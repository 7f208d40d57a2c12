#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Every file with translatable strings is in po/POTFILES.in, and every
file listed there exists and has some: a file left out never reaches a
translator, so its messages stay English in every language.

Usage: check-potfiles.py SOURCE_ROOT
Prints TAP.
"""
import os
import re
import sys

root = sys.argv[1]

C_MARKS = re.compile(r'(?<![\w.>])(?:_|N_|C_|NC_|Q_|ngettext|g_dngettext|g_dpgettext2|g_dcgettext)\s*\(')
UI_MARKS = re.compile(r'translatable\s*=\s*"(?:yes|true|1)"')
DATA_MARKS = re.compile(r'<(?:summary|description|name|comment|_\w+)\b|^(?:Name|GenericName|Comment|Keywords)=', re.M)


def strip_c_comments(text):
    return re.sub(r'/\*.*?\*/|//[^\n]*', '', text, flags=re.S)


def translatable(path):
    full = os.path.join(root, path)
    with open(full, encoding='utf-8', errors='replace') as f:
        text = f.read()
    if path.endswith(('.c', '.h')):
        return C_MARKS.search(strip_c_comments(text)) is not None
    if path.endswith('.ui'):
        return UI_MARKS.search(text) is not None
    if path.startswith('data/') and path.endswith(('.desktop.in', '.metainfo.xml.in', '.gschema.xml', '.mime.xml')):
        return DATA_MARKS.search(text) is not None
    return False


def scanned():
    found = set()
    for top in ('src', 'data'):
        for dirpath, dirnames, filenames in os.walk(os.path.join(root, top)):
            dirnames[:] = [d for d in dirnames if d not in ('demo',)]
            for name in filenames:
                path = os.path.relpath(os.path.join(dirpath, name), root)
                if translatable(path):
                    found.add(path)
    return found


listed = []
with open(os.path.join(root, 'po', 'POTFILES.in'), encoding='utf-8') as f:
    for line in f:
        line = line.strip()
        if line and not line.startswith('#'):
            listed.append(line)

found = scanned()
checks = []

missing = sorted(found - set(listed))
checks.append(('every file with translatable strings is listed', missing,
               'not in po/POTFILES.in'))

gone = sorted(p for p in listed if not os.path.exists(os.path.join(root, p)))
checks.append(('every listed file exists', gone, 'listed but missing'))

empty = sorted(p for p in listed if p not in gone and not translatable(p))
checks.append(('every listed file has translatable strings', empty,
               'listed but has no translatable string'))

twice = sorted({p for p in listed if listed.count(p) > 1})
checks.append(('no file is listed twice', twice, 'listed more than once'))

print('1..%d' % len(checks))
failed = 0
for i, (name, bad, why) in enumerate(checks, 1):
    if bad:
        failed += 1
        print('not ok %d - %s' % (i, name))
        for p in bad:
            print('# %s: %s' % (p, why))
    else:
        print('ok %d - %s' % (i, name))
sys.exit(1 if failed else 0)
