#!/usr/bin/env bash
# `handout serve` on loopback behind nginx and behind Apache, each with the block for it in
# docs/HOSTING.md under /plans/, then checked with check_serve_proxy.py through the proxy.
# Usage: test_serve_proxy.sh HANDOUT_BINARY
set -euo pipefail
cd "$(dirname "$0")/../.."
handout=$1
work=$(mktemp -d)
serve_port=$((20000 + RANDOM % 20000))
nginx_port=$((serve_port + 1))
apache_port=$((serve_port + 2))
serve_pid=""
trap '[ -n "$serve_pid" ] && kill "$serve_pid" 2>/dev/null; [ -f "$work/nginx.pid" ] && kill "$(cat "$work/nginx.pid")" 2>/dev/null;
      [ -f "$work/apache.pid" ] && kill "$(cat "$work/apache.pid")" 2>/dev/null; rm -rf "$work"' EXIT

mkdir -p "$work/site"
cp -r Content Templates "$work/site/"
"$handout" serve --root "$work/site" --port "$serve_port" \
  --origin "http://127.0.0.1:$nginx_port" --origin "http://127.0.0.1:$apache_port" >"$work/serve.log" 2>&1 &
serve_pid=$!
for _ in $(seq 300); do grep -q "^Serving" "$work/serve.log" && break; sleep 0.1; done
grep -q "^Serving" "$work/serve.log" || { cat "$work/serve.log"; exit 1; }

# The documentation's blocks, pointed at this server's port.
python3 - "$serve_port" "$work" <<'PY'
import re, sys
port, work = sys.argv[1], sys.argv[2]
doc = open("docs/HOSTING.md").read()
for kind in ("nginx", "apache"):
    block = re.search(rf"```{kind} serve\n(.*?)```", doc, re.S).group(1)
    open(f"{work}/{kind}-serve.conf", "w").write(block.replace("127.0.0.1:8080", f"127.0.0.1:{port}"))
PY

user_line=""
[ "$(id -u)" -eq 0 ] && user_line="user root;"
cat > "$work/nginx.conf" <<CONF
$user_line
worker_processes 1;
pid $work/nginx.pid;
error_log $work/nginx-error.log;
events { worker_connections 64; }
http {
    access_log off;
    client_body_temp_path $work/body;
    proxy_temp_path $work/proxy;
    fastcgi_temp_path $work/fastcgi;
    uwsgi_temp_path $work/uwsgi;
    scgi_temp_path $work/scgi;
    server {
        listen 127.0.0.1:$nginx_port;
        server_name localhost;
        include $work/nginx-serve.conf;
    }
}
CONF
nginx -t -c "$work/nginx.conf" -p "$work" 2>"$work/test.log" || { cat "$work/test.log"; exit 1; }
nginx -c "$work/nginx.conf" -p "$work"

user_lines=""
[ "$(id -u)" -eq 0 ] && user_lines=$'User www-data\nGroup www-data'
modules=/usr/lib/apache2/modules
mkdir "$work/empty"
cat > "$work/apache2.conf" <<CONF
ServerRoot $work
ServerName localhost
Listen 127.0.0.1:$apache_port
PidFile $work/apache.pid
DefaultRuntimeDir $work
Mutex file:$work default
ErrorLog $work/apache-error.log
$user_lines
LoadModule mpm_event_module $modules/mod_mpm_event.so
LoadModule authz_core_module $modules/mod_authz_core.so
LoadModule headers_module $modules/mod_headers.so
LoadModule proxy_module $modules/mod_proxy.so
LoadModule proxy_http_module $modules/mod_proxy_http.so
DocumentRoot $work/empty
<VirtualHost 127.0.0.1:$apache_port>
Include $work/apache-serve.conf
</VirtualHost>
CONF
apache2 -t -f "$work/apache2.conf" 2>"$work/test.log" || { cat "$work/test.log"; exit 1; }
apache2 -f "$work/apache2.conf" -k start

for port in "$nginx_port" "$apache_port"; do
  for _ in $(seq 50); do curl -s -o /dev/null "http://127.0.0.1:$port/plans/" && break; sleep 0.1; done
done
python3 Tests/Hosting/check_serve_proxy.py "http://127.0.0.1:$nginx_port/plans/" "$work/site" nginx
python3 Tests/Hosting/check_serve_proxy.py "http://127.0.0.1:$apache_port/plans/" "$work/site" Apache
