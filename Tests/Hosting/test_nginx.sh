#!/usr/bin/env bash
# Serves a built site with the nginx configuration from docs/HOSTING.md under /handouts/ on
# 127.0.0.1, in an nginx set up like Debian's (its mime.types, default type octet-stream),
# then checks it with check_served_site.py. Usage: test_nginx.sh OUTPUT_DIR
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
# Relative includes (the block's `include mime.types;`) resolve against this folder, as
# they resolve against /etc/nginx on a real server.
cp /etc/nginx/mime.types "$work/mime.types"
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
    include mime.types;
    default_type application/octet-stream;
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

python3 Tests/Hosting/check_served_site.py "$output" "http://127.0.0.1:$port/handouts/" nginx
