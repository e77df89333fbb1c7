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
stage "packages installed, debug build done"

# Incremental builds against full builds: 300 random steps (edits, --patient, kill -9, a
# full disk, unreadable files, damaged output, fallback translations, ...), each compared
# byte for byte; and 300 more with every build as on a network share, where renameat2
# (RENAME_EXCHANGE) and link() fail (an LD_PRELOAD shim). The seeds are printed; replay
# with --seed. Longer runs are in docs/TESTING.md. It runs beside the other tests and is
# waited for at the end. Its steps take two or three builds each, so it runs an optimized
# binary (twice as fast as the debug one), built in a folder of its own so that it does not
# wait for `swift test`'s use of .build. The two runs go side by side: once the browser
# tests are done, each has a core. Niced: the browser tests, the longer path, go first.
# 300 each keep CI under 20 minutes on 2 cores: 500 + 500 took CI's whole run to 21 min
# 48 s (the browser tests take most of both cores for 14 minutes); set
# HANDOUT_DIFFERENTIAL_STEPS for a longer run.
differential_log=$(mktemp)
steps="${HANDOUT_DIFFERENTIAL_STEPS:-300}"
(
  scratch=.build-differential
  nice -n 10 swift build -c release --product handout --scratch-path "$scratch"
  binary="$(swift build -c release --scratch-path "$scratch" --show-bin-path)/handout"
  shim_log=$(mktemp)
  nice -n 10 /usr/bin/python3 Tests/Incremental/differential.py --binary "$binary" --steps "$steps" --refuse-exchange >"$shim_log" 2>&1 &
  shim=$!
  plain=0
  nice -n 10 /usr/bin/python3 Tests/Incremental/differential.py --binary "$binary" --steps "$steps" || plain=$?
  with_shim=0
  wait "$shim" || with_shim=$?
  cat "$shim_log"
  rm -f "$shim_log"
  echo "differential test finished after $((SECONDS - started)) s of the test command"
  [ "$plain" -eq 0 ] && [ "$with_shim" -eq 0 ]
) >"$differential_log" 2>&1 &
differential=$!
stage "differential test started (release build, then 2 × $steps steps side by side)"

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
trap 'rm -rf "$hosted_site"' EXIT
Tests/Hosting/site_with_photos.sh "$(swift build --show-bin-path)/handout" "$hosted_site"
Tests/Hosting/test_nginx.sh "$hosted_site/Output"
Tests/Hosting/test_apache.sh "$hosted_site/Output"
# `handout serve` behind nginx and Apache as docs/HOSTING.md configures them: pages, the
# editor, a save and a page told of a change through the proxy; a cross-site save refused.
Tests/Hosting/test_serve_proxy.sh "$(swift build --show-bin-path)/handout"
stage "hosting tests done; waiting for the differential test"

if ! wait "$differential"; then
  cat "$differential_log" >&2
  echo "The differential test of incremental builds failed (above)." >&2
  exit 1
fi
cat "$differential_log"
rm -f "$differential_log"
stage "all tests passed"
