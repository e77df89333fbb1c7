#!/usr/bin/env bash
# Builds a copy of the sample site in which two exercises show photos instead of drawings
# (one PNG, one JPEG, rendered from their SVGs), so the hosting tests see every file type a
# clinic's site holds. Usage: site_with_photos.sh HANDOUT_BIN FOLDER  (writes FOLDER/Output)
set -euo pipefail
cd "$(dirname "$0")/../.."
handout=$1
site=$2
mkdir -p "$site"
cp -R Content Templates "$site/"
photo() {  # exercise, picture format: png or jpeg (pdftoppm writes .png or .jpg)
  local svg="$site/Content/images/$1.svg" base="$site/Content/images/$1"
  local profile
  profile=$(mktemp -d)
  chromium --headless --no-sandbox --disable-gpu --disable-dev-shm-usage --no-pdf-header-footer \
    --user-data-dir="$profile" --no-first-run --print-to-pdf="$base.pdf" "file://$svg" 2>/dev/null
  rm -rf "$profile"
  pdftoppm "-$2" -singlefile -scale-to 400 "$base.pdf" "$base"
  rm "$base.pdf"
  local extension=$2
  [ "$2" = jpeg ] && extension=jpg
  sed -i "s|^image: images/$1.svg|image: images/$1.$extension|" "$site/Content/exercises/$1.md"
  grep -q "^image: images/$1.$extension" "$site/Content/exercises/$1.md"
}
photo forearm-plank png
photo dead-bug-with-swiss-ball jpeg
"$handout" build --root "$site" >/dev/null
