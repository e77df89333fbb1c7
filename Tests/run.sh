#!/usr/bin/env bash
# The one test command: installs what the tests need (only what is missing), then runs them all.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(libcmark-dev libqrencode-dev pkg-config
  # Browser tests (Tests/Browser): print with headless Chromium, read the PDF back with
  # poppler, validate with vnu.jar (Java), axe-core through chromedriver. The fonts fix
  # the page breaks: print text is Arial-metric (Liberation Sans), screen text DejaVu Sans.
  # zbarimg (zbar-tools) reads the printed QR codes back.
  chromium chromium-driver poppler-utils zbar-tools default-jre-headless fonts-liberation fonts-dejavu-core
  python3 python3-venv
  # Hosting test (Tests/Hosting): the nginx configuration of docs/HOSTING.md on loopback.
  nginx-light curl)
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

swift build
swift test

# Incremental builds against full builds: 500 random steps (edits, --patient, kill -9, a
# full disk, unreadable files), each compared byte for byte. The seed is printed; replay
# with --seed. A longer run is in docs/TESTING.md.
/usr/bin/python3 Tests/Incremental/differential.py --binary "$(swift build --show-bin-path)/handout" --steps "${HANDOUT_DIFFERENTIAL_STEPS:-500}"

# Browser tests: the sample site built for letter, A4 and large print, printed to PDF and
# checked page by page; every page validated (Nu HTML Checker) and checked with axe-core.
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
  "$venv/bin/python" -m pytest -p no:cacheprovider Tests/Browser

# Hosting: the sample site served by nginx under /handouts/, every page and asset fetched.
site_output=$(mktemp -d)
trap 'rm -rf "$site_output"' EXIT
"$(swift build --show-bin-path)/handout" build --output "$site_output/Output" >/dev/null
Tests/Hosting/test_nginx.sh "$site_output/Output"
