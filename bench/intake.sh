#!/usr/bin/env bash
# Intake budget: durable help requests acknowledged per second (issue "help-request intake":
# at least 2,000/s on a 2-core machine, SQLite in WAL mode, synchronous=FULL). Prints
# figures; it judges nothing. Run by hand, not in CI:
#
#   bench/intake.sh                      # 20 s at 16 and at 64 connections
#   DURATION=10 CONNECTIONS="8 32 128" bench/intake.sh
#
# Each load runs against a fresh `passport serve` (release build, made if needed) on a fresh
# database in a temporary folder, with the per-address limit off. wrk sends one request with
# a fresh random UUID per call (bench/intake.lua) and counts the answers by status; the rows
# in the database are then counted too, so the "acknowledged" figure is what is on disk.
#
# The built site folder comes from PASSPORT_SITE, else target/site (`cargo leptos build`).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
SITE=${PASSPORT_SITE:-$TARGET/site}
DURATION=${DURATION:-20}
CONNECTIONS=${CONNECTIONS:-16 64}
THREADS=${THREADS:-2}

if [[ ! -d $SITE ]]; then
  echo "no built site folder at $SITE: build it with \`cargo leptos build --release\` or set PASSPORT_SITE" >&2
  exit 1
fi
if ! command -v wrk >/dev/null; then
  echo "installing wrk (Debian package)" >&2
  if [[ $(id -u) -eq 0 ]]; then
    apt-get install -y wrk >/dev/null
  else
    sudo apt-get install -y wrk >/dev/null
  fi
fi
(cd "$ROOT" && cargo build --release --features ssr --bin passport)
BIN=$TARGET/release/passport

WORK=$(mktemp -d -t passport-intake-XXXXXX)
SERVER=
stop_server() {
  if [[ -n $SERVER ]]; then
    kill -TERM "$SERVER" 2>/dev/null || true
    wait "$SERVER" 2>/dev/null || true
    SERVER=
  fi
}
trap 'stop_server; rm -rf "$WORK"' EXIT

# Starts the server on a free port with a fresh database in $1; sets SERVER and URL.
start_server() {
  local dir=$1
  mkdir -p "$dir"
  # The writer logs each batch it commits at debug level: that gives the batch sizes.
  RUST_LOG=info,passport::help::intake=debug NO_COLOR=1 "$BIN" serve \
    --addr 127.0.0.1:0 --db "$dir/bench.db" --site "$SITE" --help-rate off \
    >"$dir/server.log" 2>&1 &
  SERVER=$!
  URL=
  for _ in $(seq 1 300); do
    URL=$(grep -o 'serving on http://[0-9.:]*' "$dir/server.log" | head -n1 | cut -d' ' -f3 || true)
    [[ -n $URL ]] && return
    kill -0 "$SERVER" 2>/dev/null || break
    sleep 0.1
  done
  echo "the server did not start:" >&2
  cat "$dir/server.log" >&2
  exit 1
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b ? a / b : 0 }'; }
figure() { grep -o "^bench\.$1=.*" "$2" | cut -d= -f2 || true; }

echo "intake: $(nproc) cores, wrk -t$THREADS, ${DURATION}s per load, synchronous=FULL, limit off"
for connections in $CONNECTIONS; do
  dir=$WORK/c$connections
  start_server "$dir"
  wrk -t"$THREADS" -c"$connections" -d"${DURATION}s" --timeout 10s \
    -s "$ROOT/bench/intake.lua" "$URL" >"$dir/wrk.txt"
  stop_server

  seconds=$(figure seconds "$dir/wrk.txt")
  answers=$(figure answers "$dir/wrk.txt")
  created=$(figure status_201 "$dir/wrk.txt")
  created=${created:-0}
  replayed=$(figure status_200 "$dir/wrk.txt")
  others=$(grep -o '^bench\.status_[0-9]*=[0-9]*' "$dir/wrk.txt" |
    grep -v -e 'status_201=' -e 'status_200=' | sed 's/^bench\.status_\([0-9]*\)=/\1: /' |
    paste -sd, - || true)
  rows=$(sqlite3 "$dir/bench.db" 'SELECT count(*) FROM help_request')
  batches=$(grep -c 'help requests committed' "$dir/server.log" || true)

  echo
  echo "== $connections connections =="
  printf '  answers per second         %10s   (%d answers in %s s)\n' \
    "$(ratio "$answers" "$seconds")" "$answers" "$seconds"
  printf '  acknowledged (201) per s   %10s   (%d acknowledged)\n' \
    "$(ratio "$created" "$seconds")" "$created"
  printf '  latency p50 / p99          %7s ms / %s ms\n' \
    "$(figure p50_ms "$dir/wrk.txt")" "$(figure p99_ms "$dir/wrk.txt")"
  printf '  rows in the database       %10d   (%+d against the 201s: committed while wrk stopped)\n' \
    "$rows" "$((rows - created))"
  if ((batches > 0)); then
    printf '  commits                    %10d   (%s requests per commit)\n' \
      "$batches" "$(ratio "$rows" "$batches")"
  fi
  printf '  other answers              200 (a replay): %s; other statuses: %s; socket errors: %s\n' \
    "${replayed:-0}" "${others:-none}" "$(figure socket_errors "$dir/wrk.txt")"
  errors=$(grep -c ' ERROR ' "$dir/server.log" || true)
  if ((errors > 0)); then
    echo "  server errors              $errors, the first:"
    grep -m3 ' ERROR ' "$dir/server.log" | sed 's/^/    /'
  fi
  if ((rows < created)); then
    echo "  LOST: fewer rows than acknowledgements" >&2
    exit 1
  fi
done
