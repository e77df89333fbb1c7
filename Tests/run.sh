#!/usr/bin/env bash
# The one test command: installs what the tests need (only what is missing), then runs them all.
set -euo pipefail
cd "$(dirname "$0")/.."
# Each stage prints when it ends, so a slow run shows where its time went.
started=$SECONDS
stage() { echo "== test command +$((SECONDS - started)) s: $*"; }

packages=(libcmark-dev libqrencode-dev pkg-config
  # Browser tests (Tests/Browser): print with headless Chromium, read the PDF back with
  # poppler, validate with vnu.jar (Java), axe-core through chromedriver. The fonts fix
  # the page breaks: print text is Arial-metric (Liberation Sans), screen text DejaVu Sans.
  # zbarimg (zbar-tools) reads the printed QR codes back.
  chromium chromium-driver poppler-utils zbar-tools default-jre-headless fonts-liberation fonts-dejavu-core
  # The same print checks in Firefox ESR, driven headless through Marionette.
  firefox-esr
  # A CJK font for the Simplified Chinese handout (Tests/Browser/test_languages.py).
  fonts-noto-cjk
  python3 python3-venv
  # Hosting tests (Tests/Hosting): the nginx and Apache configurations of docs/HOSTING.md
  # on loopback, the site printed through them in Chromium.
  nginx-light apache2 curl)
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if ((${#missing[@]})); then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"
fi

# Incremental builds against full builds: 500 random steps (edits, --patient, kill -9, a
# full disk, unreadable files, damaged output, fallback translations, ...), each compared
# byte for byte; and 500 more with every build as on a network share, where renameat2
# (RENAME_EXCHANGE) and link() fail (an LD_PRELOAD shim). The seeds are printed; replay
# with --seed. Longer runs are in docs/TESTING.md. Its steps take two or three builds each,
# so it runs an optimized binary (twice as fast as the debug one), built in a folder of its
# own so that it does not wait for the debug build's use of .build. It is the longest path of
# the test command (the release build takes about 220 s on one core, each run of 500 steps
# about 10 minutes with most of a core), so it starts first, beside the debug build; the two
# runs go side by side, and the other tests beside them, at the same priority: the browser
# tests spend much of their time waiting on a browser, which the runs use. It is waited for
# at the end. What each stage costs: docs/TESTING.md. Set HANDOUT_DIFFERENTIAL_STEPS for a
# longer or shorter run.
# Every test's temporary files (sites, browser profiles, PDFs) go in one folder of this run,
# removed when it ends: left in /tmp, runs add up to tens of gigabytes. Readable by all, as
# /tmp is, so nginx and Apache (other users) can serve the sites built in it.
run_temporary=$(mktemp -d "${TMPDIR:-/tmp}/handout-tests-XXXXXX")
chmod 755 "$run_temporary"
export TMPDIR="$run_temporary"
differential_log=$(mktemp)
# The runs start once the debug build has passed its warning check: this file appears.
differential_go="$differential_log.go"
steps="${HANDOUT_DIFFERENTIAL_STEPS:-500}"
(
  scratch=.build-differential
  swift build -c release --product handout --scratch-path "$scratch"
  binary="$(swift build -c release --scratch-path "$scratch" --show-bin-path)/handout"
  while [ ! -e "$differential_go" ]; do
    kill -0 $$ 2>/dev/null || exit 1
    sleep 1
  done
  shim_log=$(mktemp)
  /usr/bin/python3 Tests/Incremental/differential.py --binary "$binary" --steps "$steps" --refuse-exchange >"$shim_log" 2>&1 &
  shim=$!
  plain=0
  /usr/bin/python3 Tests/Incremental/differential.py --binary "$binary" --steps "$steps" || plain=$?
  with_shim=0
  wait "$shim" || with_shim=$?
  cat "$shim_log"
  rm -f "$shim_log"
  echo "differential test finished after $((SECONDS - started)) s of the test command"
  [ "$plain" -eq 0 ] && [ "$with_shim" -eq 0 ]
) >"$differential_log" 2>&1 &
differential=$!
# A run stopped by a compiler warning (or Ctrl-C) before the differential test's runs began
# stops its release build too. Once begun, they finish on their own (they clean up after
# themselves), as they always did when a later test failed.
hosted_site=""
cleanup() {
  if [ -n "$differential" ] && [ ! -e "$differential_go" ]; then
    pkill -TERM -P "$differential" 2>/dev/null || true
    kill "$differential" 2>/dev/null || true
    wait "$differential" 2>/dev/null || true
    differential=""
  fi
  rm -f "$differential_go"
  [ -z "$hosted_site" ] || rm -rf "$hosted_site"
  # The differential runs, if still going, keep their folders until they end.
  [ -n "$differential" ] || rm -rf "$run_temporary" || true
}
trap cleanup EXIT
stage "packages installed; differential test started (release build, then 2 × $steps steps side by side)"

# The build stays warning-free: a compiler warning in our own code fails the run. (The
# compiler reports a warning only when it compiles the file, so a clean clone, as in .ci/run,
# sees them all.)
build_log=$(mktemp)
swift build --build-tests 2>&1 | tee "$build_log"
if grep -E "^$PWD/(Sources|Tests)/.*: warning:" "$build_log"; then
  echo "The build has compiler warnings (above); fix them." >&2
  exit 1
fi
rm -f "$build_log"
touch "$differential_go"
stage "debug build done"

swift test
stage "swift test done"

# Browser tests: the sample site built for letter, A4 and large print, printed to PDF in
# Chromium and Firefox ESR and checked page by page (the English and the Spanish patient; a Chinese one in test_languages.py); every page validated (Nu HTML Checker) and checked with axe-core.
# Schema tests: `handout schema` read by Python's jsonschema, as an editor would.
# Python packages live in a virtual environment, remade when requirements.txt changes.
venv="${HANDOUT_TEST_VENV:-.build/browser-tests-venv}"
requirements=Tests/Browser/requirements.txt
if ! cmp -s "$requirements" "$venv/requirements.txt"; then
  rm -rf "$venv"
  /usr/bin/python3 -m venv "$venv"
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check --no-input -r "$requirements"
  cp "$requirements" "$venv/requirements.txt"
fi
HANDOUT_BIN="$(swift build --show-bin-path)/handout" PYTHONDONTWRITEBYTECODE=1 \
  "$venv/bin/python" -m pytest -p no:cacheprovider Tests/Browser Tests/Schema
stage "browser and schema tests done"

# Hosting: the sample site (with a PNG and a JPEG photo added) served by nginx and by Apache
# under /handouts/, every file fetched and its type checked, pages printed through each.
hosted_site=$(mktemp -d)
Tests/Hosting/site_with_photos.sh "$(swift build --show-bin-path)/handout" "$hosted_site"
Tests/Hosting/test_nginx.sh "$hosted_site/Output"
Tests/Hosting/test_apache.sh "$hosted_site/Output"
# `handout serve` behind nginx and Apache as docs/HOSTING.md configures them: pages, the
# editor, a save and a page told of a change through the proxy; a cross-site save refused.
Tests/Hosting/test_serve_proxy.sh "$(swift build --show-bin-path)/handout"
stage "hosting tests done; waiting for the differential test"

differential_status=0
wait "$differential" || differential_status=$?
differential=""
if [ "$differential_status" -ne 0 ]; then
  cat "$differential_log" >&2
  echo "The differential test of incremental builds failed (above)." >&2
  exit 1
fi
cat "$differential_log"
rm -f "$differential_log"
stage "all tests passed"
