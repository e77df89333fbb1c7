#!/usr/bin/env bash
# The one test command: installs what the tests need (only what is missing), then runs them all.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(libcmark-dev pkg-config)
missing=()
for package in "${packages[@]}"; do
  dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
done
if ((${#missing[@]})); then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update
  $sudo apt-get install -y --no-install-recommends "${missing[@]}"
fi

swift build
swift test
