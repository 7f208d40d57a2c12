#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Every translation listed in po/LINGUAS is complete and well formed:
msgfmt --check accepts it (format specifiers that match the English,
a valid header with Plural-Forms), each mnemonic keeps exactly one
underscore, and no message is untranslated or fuzzy.  A message left
untranslated shows up as English in the middle of a translated window;
a fuzzy one is not used at all; a wrong %s or %u crashes or garbles
the message at run time.

Usage: check-po.py SOURCE_ROOT
Prints TAP.  Skips when msgfmt (gettext) is not installed.
"""
import os
import re
import shutil
import subprocess
import sys

root = sys.argv[1]
po_dir = os.path.join(root, 'po')

msgfmt = shutil.which('msgfmt')
if msgfmt is None:
    print('1..0 # SKIP msgfmt not found (install gettext)')
    sys.exit(0)

languages = []
with open(os.path.join(po_dir, 'LINGUAS'), encoding='utf-8') as f:
    for line in f:
        line = line.split('#', 1)[0]
        languages.extend(line.split())

if not languages:
    print('1..0 # SKIP no translations listed in po/LINGUAS')
    sys.exit(0)

STAT = re.compile(r'(\d+) (translated|fuzzy|untranslated)')

print('1..%d' % len(languages))
failed = 0
for n, lang in enumerate(languages, 1):
    path = os.path.join(po_dir, lang + '.po')
    problems = []
    if not os.path.exists(path):
        problems.append('po/%s.po is listed in LINGUAS but does not exist' % lang)
    else:
        env = dict(os.environ, LC_ALL='C', LANGUAGE='')
        run = subprocess.run([msgfmt, '--check', '--check-accelerators=_',
                              '--statistics', '-o', os.devnull, path],
                             capture_output=True, text=True, env=env)
        counts = {kind: int(num) for num, kind in STAT.findall(run.stderr)}
        if run.returncode != 0:
            problems.append('msgfmt --check failed:')
            problems.extend(l for l in run.stderr.splitlines()
                            if not STAT.search(l))
        if counts.get('untranslated', 0):
            problems.append('%d untranslated messages' % counts['untranslated'])
        if counts.get('fuzzy', 0):
            problems.append('%d fuzzy messages' % counts['fuzzy'])
        if not counts.get('translated', 0):
            problems.append('no translated messages')
    if problems:
        failed += 1
        print('not ok %d - po/%s.po' % (n, lang))
        for p in problems:
            print('# ' + p)
    else:
        print('ok %d - po/%s.po: %d messages, all translated' % (n, lang, counts['translated']))

sys.exit(1 if failed else 0)
