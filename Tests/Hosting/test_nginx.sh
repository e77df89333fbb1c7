#!/usr/bin/env bash
# Serves a built site with the nginx configuration from docs/HOSTING.md under /handouts/ on
# 127.0.0.1 and fetches every page and asset through it. Usage: test_nginx.sh OUTPUT_DIR
set -euo pipefail
cd "$(dirname "$0")/../.."
output=$(cd "$1" && pwd)
work=$(mktemp -d)
port=$((20000 + RANDOM % 20000))
trap '[ -f "$work/nginx.pid" ] && kill "$(cat "$work/nginx.pid")" 2>/dev/null; rm -rf "$work"' EXIT

# The server block from the documentation, made local: plain HTTP on loopback, no TLS.
python3 - "$output" "$port" "$work/site.conf" <<'PY'
import re, sys
output, port, target = sys.argv[1], sys.argv[2], sys.argv[3]
doc = open("docs/HOSTING.md").read()
block = re.search(r"```nginx\n(.*?)```", doc, re.S).group(1)
block = block.replace("/srv/handout/Output", output)
block = re.sub(r"listen 443 ssl;", f"listen 127.0.0.1:{port};", block)
block = re.sub(r"server_name [^;]+;", "server_name localhost;", block)
open(target, "w").write(block)
PY
# As root, workers would drop to a user who cannot read a private temporary folder.
user_line=""
[ "$(id -u)" -eq 0 ] && user_line="user root;"
cat > "$work/nginx.conf" <<CONF
$user_line
worker_processes 1;
pid $work/nginx.pid;
error_log $work/error.log;
events { worker_connections 64; }
http {
    include /etc/nginx/mime.types;
    access_log off;
    client_body_temp_path $work/body;
    proxy_temp_path $work/proxy;
    fastcgi_temp_path $work/fastcgi;
    uwsgi_temp_path $work/uwsgi;
    scgi_temp_path $work/scgi;
    include $work/site.conf;
}
CONF
nginx -t -c "$work/nginx.conf" -p "$work" 2>"$work/test.log" || { cat "$work/test.log"; exit 1; }
nginx -c "$work/nginx.conf" -p "$work"
for _ in $(seq 50); do curl -s -o /dev/null "http://127.0.0.1:$port/handouts/" && break; sleep 0.1; done

python3 - "$output" "$port" <<'PY'
import os, re, sys, urllib.request, urllib.error
output, port = sys.argv[1], sys.argv[2]
base = f"http://127.0.0.1:{port}/handouts/"
passed = failed = 0
def check(ok, what):
    global passed, failed
    if ok: passed += 1
    else:
        failed += 1
        print("FAIL:", what)
def fetch(path):
    try:
        with urllib.request.urlopen(base + path, timeout=5) as r:
            return r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), b""
files = []
for root, dirs, names in os.walk(output):
    for name in names:
        rel = os.path.relpath(os.path.join(root, name), output)
        if not rel.startswith("."):
            files.append(rel)
links = set()
for rel in sorted(files):
    status, headers, body = fetch(rel)
    check(status == 200, f"{rel}: status {status}")
    check("default-src 'none'" in headers.get("Content-Security-Policy", ""), f"{rel}: Content-Security-Policy")
    check(headers.get("X-Robots-Tag") == "noindex, nofollow", f"{rel}: X-Robots-Tag")
    check(headers.get("Referrer-Policy") == "no-referrer", f"{rel}: Referrer-Policy")
    if rel.startswith("patients/"):
        check(headers.get("Cache-Control") == "no-store", f"{rel}: Cache-Control")
    if rel.endswith(".ics"):
        check(headers.get("Content-Type", "").startswith("text/calendar"), f"{rel}: ics type")
    if rel.endswith(".html"):
        for link in re.findall(r'(?:href|src)="([^"#]+)"', body.decode()):
            if not re.match(r"[a-z]+:", link):
                links.add(os.path.normpath(os.path.join(os.path.dirname(rel), link)))
# Every link in every page resolves through the server, under the sub-path.
for link in sorted(links):
    check(not link.startswith(".."), f"{link} leaves /handouts/")
    check(fetch(link)[0] == 200, f"link {link}")
check(fetch("")[0] == 200, "index at /handouts/")
check(fetch("patients/")[0] in (403, 404), "no directory listing of patients/")
check(fetch(".handout-output")[0] in (403, 404), "hidden marker not served")
print(f"nginx: {passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
PY
