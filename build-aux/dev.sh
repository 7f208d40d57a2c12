#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# build-aux/dev.sh run   — install what is missing, build, open the demo
# build-aux/dev.sh test  — install what is missing, build, run every test
#                          (plain build and AddressSanitizer + UBSan build)
#                          and each fuzz target for a few seconds
#
# Works on a fresh Debian 12 or Ubuntu machine; installs packages with
# apt-get (as root, or through sudo).
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"

packages=(
  build-essential pkgconf meson ninja-build gettext desktop-file-utils appstream
  libglib2.0-dev libglib2.0-dev-bin libgtk-4-dev libadwaita-1-dev libjson-glib-dev
  libsqlite3-dev libxml2-dev libxml2-utils sqlite3 xvfb xauth dbus dbus-x11 at-spi2-core
  libarchive-dev zlib1g-dev libpoppler-glib-dev libcairo2-dev libpango1.0-dev
  flatpak-builder librsvg2-common python3
  # Checking exports and driving the UI as a user would.
  libreoffice-writer-nogui libreoffice-calc-nogui poppler-utils python3-docx python3-dogtail python3-pyatspi
  # Calibri's metrics, which the exports measure their columns in; TeX,
  # to compile every LaTeX export with each engine.
  fonts-crosextra-carlito texlive-latex-recommended texlive-xetex texlive-luatex lmodern
  imagemagick x11-utils xdotool
  # libFuzzer's runtime for the fuzz targets.
  clang libclang-rt-14-dev
)

install_missing () {
  local missing=()
  for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "Installing: ${missing[*]}"
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

build () {
  local dir=$1; shift
  if [ ! -f "$dir/build.ninja" ]; then
    meson setup "$dir" "$@" >/dev/null
  fi
  # ninja prints a failed command and its errors on standard output:
  # show them when the build fails.
  ninja -C "$dir" > "$dir/build.log" || { tail -n 40 "$dir/build.log"; return 1; }
}

# Runs a meson test run under a virtual display and a session bus.
run_tests () {
  local dir=$1; shift
  mkdir -p "$dir/tests/runtime" && chmod 700 "$dir/tests/runtime"
  xvfb-run -a -s '-screen 0 1280x800x24' dbus-run-session -- \
    meson test -C "$dir" --print-errorlogs "$@" || true
}

count_results () {
  python3 - "$@" <<'PY'
import json, re, sys
passed = failed = skipped = 0
for log in sys.argv[1:]:
    try:
        lines = open(log, encoding="utf-8").read().splitlines()
    except OSError:
        print(f"missing test log {log}", file=sys.stderr)
        failed += 1
        continue
    for line in lines:
        t = json.loads(line)
        out = t.get("stdout") or ""
        tap = [l for l in out.splitlines() if re.match(r"(not )?ok \d+", l)]
        if tap:
            for l in tap:
                if l.startswith("not ok"):
                    failed += 1
                elif "# SKIP" in l:
                    skipped += 1
                else:
                    passed += 1
            # A crash after some subtests passed still fails the program.
            if t["result"] not in ("OK", "EXPECTEDFAIL", "SKIP") and not any(l.startswith("not ok") for l in tap):
                failed += 1
        elif t["result"] == "SKIP":
            skipped += 1
        elif t["result"] in ("OK", "EXPECTEDFAIL"):
            passed += 1
        else:
            failed += 1
print(f"{passed} passed, {failed} failed, {skipped} skipped")
sys.exit(1 if failed else 0)
PY
}

cmd=${1:-}
case "$cmd" in
  run)
    install_missing
    build build
    echo "Opening Tessera on the demo project…"
    TESSERA_DEMO_PATH="$top/build/data/demo/demo.tessera" \
      GSETTINGS_SCHEMA_DIR="$top/build/data" \
      exec build/src/app/tessera --demo
    ;;
  test)
    install_missing
    build build
    run_tests build
    # Sanitizers: the core and UI suites again under ASan + UBSan.
    build build-asan -Db_sanitize=address,undefined -Db_lundef=false -Dbenchmarks=false
    ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
    LSAN_OPTIONS="suppressions=$top/tests/lsan.supp:print_suppressions=0" \
    UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
    G_SLICE=always-malloc GDK_DEBUG=gl-disable \
      run_tests build-asan --suite core --suite ui --wrapper "$top/tests/lsan-filter.py"
    # Fuzzing: each importer parser's libFuzzer target for a few seconds,
    # from the committed seeds (clang; see fuzz/meson.build).  A crash,
    # leak or hang fails that target's test.
    CC=clang build build-fuzz -Dfuzzing=true -Db_sanitize=address,undefined -Db_lundef=false \
      -Dtests=false -Dbenchmarks=false
    UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
      meson test -C build-fuzz --suite fuzz --print-errorlogs || true
    # meson names the log of a wrapped run after the wrapper.
    count_results build/meson-logs/testlog.json build-asan/meson-logs/testlog-lsan-filter.py.json \
      build-fuzz/meson-logs/testlog.json
    ;;
  *)
    echo "usage: build-aux/dev.sh run|test" >&2
    exit 2
    ;;
esac
