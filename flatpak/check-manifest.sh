#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Check a Flatpak manifest offline: flatpak-builder must parse it without
# warnings (unknown keys are only warnings), and the sandbox must not be
# given the network, because Tessera never touches it.
#
# Usage: check-manifest.sh MANIFEST

set -eu

if [ $# -ne 1 ]; then
  echo "usage: $0 MANIFEST" >&2
  exit 2
fi

manifest=$1
tmpdir=$(mktemp -d)
trap 'rm -rf "$tmpdir"' EXIT

if ! flatpak-builder --show-manifest "$manifest" >"$tmpdir/out" 2>"$tmpdir/err"; then
  echo "flatpak-builder could not read $manifest:" >&2
  cat "$tmpdir/err" >&2
  exit 1
fi

if grep -q WARNING "$tmpdir/err"; then
  echo "flatpak-builder warned about $manifest:" >&2
  cat "$tmpdir/err" >&2
  exit 1
fi

if grep -q -- '--share=network' "$tmpdir/out"; then
  echo "$manifest gives the sandbox network access" >&2
  exit 1
fi

echo "$manifest: ok"
