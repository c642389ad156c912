#!/usr/bin/env bash
# Lighthouse (mobile preset, simulated throttling) on the home page and the job-offer
# checklist in Vietnamese and S'gaw Karen, against a fresh `passport serve` (release build).
# Every run starts Chromium with a new profile and Lighthouse clears storage first: no score
# comes from a warm cache. Prints the four category scores and the main metrics. Run by
# hand, not in CI:
#
#   bench/lighthouse.sh
#
# Lighthouse 12.8.2 is installed into target/lighthouse on first use; Debian's Chromium runs it.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
SITE=${PASSPORT_SITE:-$TARGET/site}
BIN=$TARGET/release/passport
LH_VERSION=12.8.2
LH_DIR=$TARGET/lighthouse
LH=$LH_DIR/node_modules/.bin/lighthouse

if [[ ! -x $BIN || ! -d $SITE ]]; then
  (cd "$ROOT" && scripts/build.sh)
fi
if [[ "$("$LH" --version 2>/dev/null)" != "$LH_VERSION" ]]; then
  npm install --prefix "$LH_DIR" --no-audit --no-fund "lighthouse@$LH_VERSION" >/dev/null
fi

WORK=$(mktemp -d -t passport-lighthouse-XXXXXX)
SERVER=
trap '[[ -n $SERVER ]] && kill -TERM "$SERVER" 2>/dev/null; wait 2>/dev/null; rm -rf "$WORK"' EXIT
PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
# A public deployment states its address (--public-url): the pages then name their other
# languages with whole addresses, as search engines want.
RUST_LOG=warn "$BIN" serve --addr "127.0.0.1:$PORT" --db "$WORK/lh.db" --site "$SITE" \
  --public-url "http://localhost:$PORT" >"$WORK/server.log" 2>&1 &
SERVER=$!
until curl -fso /dev/null "http://127.0.0.1:$PORT/en/"; do
  kill -0 "$SERVER" 2>/dev/null || { cat "$WORK/server.log" >&2; exit 1; }
done

printf '%-28s %5s %5s %5s %5s | %7s %7s %7s %6s %7s\n' page perf a11y best seo "FCP s" "LCP s" "SI s" "TBT ms" CLS
for page in /vi/ /vi/checklists/job-offer /ksw/ /ksw/checklists/job-offer; do
  out="$WORK/report.json"
  # localhost is a secure context, as HTTPS is for phones: the service worker runs.
  CHROME_PATH=/usr/bin/chromium "$LH" "http://localhost:$PORT$page" \
    --quiet --output=json --output-path="$out" \
    --form-factor=mobile --throttling-method=simulate \
    --chrome-flags="--headless=new --no-sandbox --disable-gpu"
  node -e '
    const r = require(process.argv[1]);
    const c = (k) => Math.round(r.categories[k].score * 100);
    const a = (k, f) => f(r.audits[k].numericValue);
    const s = (ms) => (ms / 1000).toFixed(2);
    console.log([process.argv[2].padEnd(28),
      String(c("performance")).padStart(5), String(c("accessibility")).padStart(5),
      String(c("best-practices")).padStart(5), String(c("seo")).padStart(5), "|",
      a("first-contentful-paint", s).padStart(7), a("largest-contentful-paint", s).padStart(7),
      a("speed-index", s).padStart(7), a("total-blocking-time", Math.round).toString().padStart(6),
      a("cumulative-layout-shift", (v) => v.toFixed(3)).padStart(7)].join(" "));
    for (const k of ["performance", "accessibility", "best-practices", "seo"]) {
      for (const ref of r.categories[k].auditRefs) {
        const audit = r.audits[ref.id];
        if (ref.weight > 0 && audit.score !== null && audit.score < 1) {
          console.log(`    ${k}: ${ref.id} (${audit.score})`);
        }
      }
    }' "$out" "$page"
done
echo "(cold: a new Chromium profile per page, storage cleared by Lighthouse)"
