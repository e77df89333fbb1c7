#!/usr/bin/env bash
# Serves a built site with the Apache configuration from docs/HOSTING.md under /handouts/ on
# 127.0.0.1, in Debian's apache2 with the modules the doc names (and Debian's mime.types),
# then checks it with check_served_site.py. Usage: test_apache.sh OUTPUT_DIR
set -euo pipefail
cd "$(dirname "$0")/../.."
output=$(cd "$1" && pwd)
work=$(mktemp -d)
port=$((20000 + RANDOM % 20000))
trap '[ -f "$work/apache.pid" ] && kill "$(cat "$work/apache.pid")" 2>/dev/null; rm -rf "$work"' EXIT

# The block from the documentation, pointed at the site to serve.
python3 - "$output" "$work/handouts.conf" <<'PY'
import re, sys
output, target = sys.argv[1], sys.argv[2]
doc = open("docs/HOSTING.md").read()
block = re.search(r"```apache\n(.*?)```", doc, re.S).group(1)
open(target, "w").write(block.replace("/srv/handout/Output", output))
PY
# Apache will not serve as root: as root its workers run as www-data, who must be able to
# read the site (temporary folders are private).
user_lines=""
if [ "$(id -u)" -eq 0 ]; then
  user_lines=$'User www-data\nGroup www-data'
  chmod a+rx "$work"
  folder=$output
  while [ "$folder" != / ]; do chmod a+x "$folder"; folder=$(dirname "$folder"); done
  chmod -R a+rX "$output"
fi
modules=/usr/lib/apache2/modules
cat > "$work/apache2.conf" <<CONF
ServerRoot $work
ServerName localhost
Listen 127.0.0.1:$port
PidFile $work/apache.pid
DefaultRuntimeDir $work
Mutex file:$work default
ErrorLog $work/error.log
$user_lines
LoadModule mpm_event_module $modules/mod_mpm_event.so
LoadModule authz_core_module $modules/mod_authz_core.so
LoadModule alias_module $modules/mod_alias.so
LoadModule dir_module $modules/mod_dir.so
LoadModule mime_module $modules/mod_mime.so
LoadModule headers_module $modules/mod_headers.so
TypesConfig /etc/mime.types
DocumentRoot $work/empty
<Directory />
    AllowOverride None
    Require all denied
</Directory>
Include $work/handouts.conf
CONF
mkdir "$work/empty"
apache2 -t -f "$work/apache2.conf" 2>"$work/test.log" || { cat "$work/test.log"; exit 1; }
apache2 -f "$work/apache2.conf" -k start
for _ in $(seq 50); do curl -s -o /dev/null "http://127.0.0.1:$port/handouts/" && break; sleep 0.1; done

python3 Tests/Hosting/check_served_site.py "$output" "http://127.0.0.1:$port/handouts/" apache
