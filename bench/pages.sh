#!/usr/bin/env bash
# Page-cache benchmark (issue "performance"): public pages from `passport serve` against the
# same pages exported with `passport export-static` and served by nginx with brotli_static
# and gzip_static, over loopback, with the same wrk load and page mix (bench/pages.lua: home,
# a checklist, a guide and the hotlines in all four languages, `Accept-Encoding: br, gzip`).
# Prints requests/s, p50 and p99 latency of each and the ratio passport/nginx; passport's
# cold start to its first page and its resident memory idle and under load; and the
# help-request intake rate. Prints figures; it judges nothing. Run by hand, not in CI:
#
#   bench/pages.sh                    # 20 s per load, 64 connections, 2 wrk threads
#   DURATION=10 CONNECTIONS=16 bench/pages.sh
#
# Needs the release build (`scripts/build.sh`), wrk and nginx with the brotli static module
# (Debian: nginx-light libnginx-mod-http-brotli-static; installed here if missing).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
SITE=${PASSPORT_SITE:-$TARGET/site}
BIN=$TARGET/release/passport
DURATION=${DURATION:-20}
CONNECTIONS=${CONNECTIONS:-64}
THREADS=${THREADS:-2}

as_root() { if [[ $(id -u) -eq 0 ]]; then "$@"; else sudo "$@"; fi; }
if [[ ! -x $BIN || ! -d $SITE ]]; then
  (cd "$ROOT" && scripts/build.sh)
fi
if ! command -v wrk >/dev/null; then
  as_root apt-get install -y wrk >/dev/null
fi
if [[ ! -e /usr/lib/nginx/modules/ngx_http_brotli_static_module.so ]]; then
  as_root apt-get install -y nginx-light libnginx-mod-http-brotli-static >/dev/null
fi

WORK=$(mktemp -d -t passport-pages-XXXXXX)
# nginx's workers run as another user: they must be able to read the export.
chmod 755 "$WORK"
SERVER=
NGINX_PID=
cleanup() {
  [[ -n $SERVER ]] && kill -TERM "$SERVER" 2>/dev/null && wait "$SERVER" 2>/dev/null || true
  [[ -n $NGINX_PID ]] && kill -TERM "$NGINX_PID" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
rss_kb() { awk '/^VmRSS/ { print $2 }' "/proc/$1/status"; }
peak_kb() { awk '/^VmHWM/ { print $2 }' "/proc/$1/status"; }

# wrk's figures: requests/s, p50 and p99 in ms.
run_wrk() {
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency -s "$ROOT/bench/pages.lua" "$1" >"$2"
  local rps p50 p99
  rps=$(awk '/^Requests\/sec/ { print $2 }' "$2")
  p50=$(awk '$1 == "50%" { print $2 }' "$2")
  p99=$(awk '$1 == "99%" { print $2 }' "$2")
  if grep -q "Non-2xx" "$2"; then
    echo "warning: $(grep Non-2xx "$2")" >&2
  fi
  echo "$rps $p50 $p99"
}
# wrk prints latencies as 812.00us, 2.31ms or 1.02s: in ms.
ms() {
  awk -v v="$1" 'BEGIN {
    if (v ~ /us$/) { sub(/us$/, "", v); printf "%.2f", v / 1000 }
    else if (v ~ /ms$/) { sub(/ms$/, "", v); printf "%.2f", v }
    else { sub(/s$/, "", v); printf "%.2f", v * 1000 } }'
}

# Starts passport on $PORT with the bench database and any extra options; returns once it
# has answered its first page. Sets SERVER.
start_passport() {
  RUST_LOG=warn "$BIN" serve --addr "127.0.0.1:$PORT" --db "$WORK/bench.db" --site "$SITE" \
    --help-rate off "$@" >"$WORK/server.log" 2>&1 &
  SERVER=$!
  until curl -fso /dev/null "http://127.0.0.1:$PORT/en/"; do
    kill -0 "$SERVER" 2>/dev/null || { cat "$WORK/server.log" >&2; exit 1; }
  done
}

echo "== passport: cold start"
PORT=$(free_port)
START=$(date +%s%N)
start_passport
COLD_MS=$(( ($(date +%s%N) - START) / 1000000 ))
echo "first page after ${COLD_MS} ms (a new database, created and seeded on this start)"
kill -TERM "$SERVER"; wait "$SERVER" 2>/dev/null || true
START=$(date +%s%N)
start_passport
WARM_START_MS=$(( ($(date +%s%N) - START) / 1000000 ))
echo "first page after ${WARM_START_MS} ms (the existing database)"
IDLE_RSS=$(rss_kb "$SERVER")

echo "== static export for nginx"
"$BIN" export-static "$WORK/static" --db "$WORK/export.db" --site "$SITE" | tail -n1
NGINX_PORT=$(free_port)
mkdir -p "$WORK/nginx"
cat >"$WORK/nginx/nginx.conf" <<CONF
load_module /usr/lib/nginx/modules/ngx_http_brotli_static_module.so;
worker_processes auto;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/error.log;
daemon off;
events { worker_connections 1024; }
http {
  include /etc/nginx/mime.types;
  types { application/manifest+json webmanifest; }
  default_type text/html;
  access_log off;
  sendfile on;
  tcp_nopush on;
  # Tuned as a static server should be: open files and their .br/.gz kept open.
  open_file_cache max=1000 inactive=60s;
  open_file_cache_valid 60s;
  keepalive_requests 100000;
  client_body_temp_path $WORK/nginx;
  proxy_temp_path $WORK/nginx;
  fastcgi_temp_path $WORK/nginx;
  uwsgi_temp_path $WORK/nginx;
  scgi_temp_path $WORK/nginx;
  server {
    listen 127.0.0.1:$NGINX_PORT;
    root $WORK/static;
    gzip_static on;
    brotli_static on;
    location / { try_files \$uri \$uri/index.html =404; }
  }
}
CONF
nginx -c "$WORK/nginx/nginx.conf" &
NGINX_PID=$!
for try in $(seq 1 1000); do
  curl -fso /dev/null "http://127.0.0.1:$NGINX_PORT/en/" && break
  if [[ $try == 1000 ]] || ! kill -0 "$NGINX_PID" 2>/dev/null; then
    echo "nginx does not serve the export:" >&2
    curl -si "http://127.0.0.1:$NGINX_PORT/en/" | head -n1 >&2
    cat "$WORK/nginx/error.log" >&2
    exit 1
  fi
done
for url in "http://127.0.0.1:$PORT/vi/contacts" "http://127.0.0.1:$NGINX_PORT/vi/contacts"; do
  echo "$url: $(curl -s -H 'Accept-Encoding: br, gzip' -o /dev/null -w '%{size_download} bytes, %{content_type}' "$url") $(curl -sI -H 'Accept-Encoding: br, gzip' "$url" | grep -i '^content-encoding' | tr -d '\r')"
done

echo "== load: $THREADS threads, $CONNECTIONS connections, ${DURATION}s each, 16 pages in turn"
# One short run each first, so neither is measured cold (passport's cache, nginx's files).
wrk -t1 -c4 -d2s -s "$ROOT/bench/pages.lua" "http://127.0.0.1:$PORT" >/dev/null
wrk -t1 -c4 -d2s -s "$ROOT/bench/pages.lua" "http://127.0.0.1:$NGINX_PORT" >/dev/null
read -r P_RPS P_50 P_99 < <(run_wrk "http://127.0.0.1:$PORT" "$WORK/passport.txt")
LOAD_RSS=$(peak_kb "$SERVER")
read -r N_RPS N_50 N_99 < <(run_wrk "http://127.0.0.1:$NGINX_PORT" "$WORK/nginx.txt")

# The same server rendering every page on every request, to show what the cache saves.
kill -TERM "$SERVER"; wait "$SERVER" 2>/dev/null || true
start_passport --no-page-cache
read -r U_RPS U_50 U_99 < <(run_wrk "http://127.0.0.1:$PORT" "$WORK/uncached.txt")

printf '%-20s %12s %10s %10s\n' "" "requests/s" "p50 ms" "p99 ms"
printf '%-20s %12s %10s %10s\n' passport "$P_RPS" "$(ms "$P_50")" "$(ms "$P_99")"
printf '%-20s %12s %10s %10s\n' nginx "$N_RPS" "$(ms "$N_50")" "$(ms "$N_99")"
printf '%-20s %12s %10s %10s\n' "passport, no cache" "$U_RPS" "$(ms "$U_50")" "$(ms "$U_99")"
awk -v p="$P_RPS" -v n="$N_RPS" -v p99="$(ms "$P_99")" -v n99="$(ms "$N_99")" 'BEGIN {
  printf "ratio passport/nginx: %.2f x the requests/s, p99 %.2f x nginx'"'"'s\n", p / n, p99 / n99 }'
echo "passport RSS: idle $((IDLE_RSS / 1024)) MB, peak under load $((LOAD_RSS / 1024)) MB"
echo "passport start to first page: ${COLD_MS} ms new database, ${WARM_START_MS} ms existing"

echo "== help-request intake on the same server (16 connections, ${DURATION}s)"
wrk -t"$THREADS" -c16 -d"${DURATION}s" -s "$ROOT/bench/intake.lua" \
  "http://127.0.0.1:$PORT/api/v1/help-requests" >"$WORK/intake.txt"
echo "acknowledged per second: $(awk '/^Requests\/sec/ { print $2 }' "$WORK/intake.txt")$(grep -o 'Non-2xx.*' "$WORK/intake.txt" | sed 's/^/ (/; s/$/)/')"
