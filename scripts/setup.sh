#!/usr/bin/env bash
# Installs the pinned tools that building and testing need, skipping each one that is already
# there in the right version. Safe to run again and again.
#
# First run on a fresh machine: about 45 minutes, nearly all of it compiling cargo-leptos and
# cargo-audit.
set -euo pipefail
cd "$(dirname "$0")/.."

CARGO_LEPTOS_VERSION=0.3.10
CARGO_AUDIT_VERSION=0.22.1
export PATH="$HOME/.cargo/bin:$PATH"

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

if rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "wasm32 target: present"
else
  say "wasm32 target: installing"
  rustup target add wasm32-unknown-unknown
fi

if [ "$(cargo leptos --version 2>/dev/null)" = "cargo-leptos $CARGO_LEPTOS_VERSION" ]; then
  say "cargo-leptos $CARGO_LEPTOS_VERSION: present"
else
  # Pinned and --locked: newer releases need a newer rustc than this machine has.
  say "cargo-leptos $CARGO_LEPTOS_VERSION: installing (about 30 minutes on 2 cores)"
  cargo install "cargo-leptos@$CARGO_LEPTOS_VERSION" --locked
fi

# wasm-bindgen's CLI must match the library in Cargo.lock exactly, or the bundle won't load.
WASM_BINDGEN_VERSION=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
if [ "$(wasm-bindgen --version 2>/dev/null)" = "wasm-bindgen $WASM_BINDGEN_VERSION" ]; then
  say "wasm-bindgen-cli $WASM_BINDGEN_VERSION: present"
else
  say "wasm-bindgen-cli $WASM_BINDGEN_VERSION: installing"
  # Its lock file can name dependency releases newer than the registry mirror holds; then
  # let cargo resolve the same wasm-bindgen-cli against what the mirror has.
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --locked ||
    cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION"
fi

# Reads Cargo.lock against the RustSec advisories vendored in advisories/ (no network needed).
# (It names itself "cargo-audit-audit" when run as `cargo audit`.)
if [ "$(cargo audit --version 2>/dev/null)" = "cargo-audit-audit $CARGO_AUDIT_VERSION" ]; then
  say "cargo-audit $CARGO_AUDIT_VERSION: present"
else
  say "cargo-audit $CARGO_AUDIT_VERSION: installing"
  cargo install "cargo-audit@$CARGO_AUDIT_VERSION" --locked
fi

if command -v npm >/dev/null; then
  say "node and npm: present"
else
  say "node and npm: installing from Debian"
  as_root apt-get update
  as_root apt-get install -y nodejs npm
fi

# binaryen (wasm-opt) and playwright-core, pinned in package-lock.json. Debian's binaryen is
# too old: its wasm-opt output fails hydration in the browser.
if npm ls --depth=0 >/dev/null 2>&1; then
  say "npm tools (binaryen, playwright-core): present"
else
  say "npm tools (binaryen, playwright-core): installing"
  npm ci --no-audit --no-fund
fi

if [ -x /usr/bin/chromium ]; then
  say "chromium: present"
else
  say "chromium: installing from Debian"
  as_root apt-get update
  as_root apt-get install -y chromium
fi

# poppler's pdfinfo, pdftotext, pdffonts and pdftoppm read back the printed booklet's PDF.
if command -v pdftoppm >/dev/null && command -v pdffonts >/dev/null; then
  say "poppler-utils: present"
else
  say "poppler-utils: installing from Debian"
  as_root apt-get update
  as_root apt-get install -y poppler-utils
fi

# libfaketime runs a hub with a clock a day off in the hub tests.
if [ -e /usr/lib/x86_64-linux-gnu/faketime/libfaketimeMT.so.1 ] || [ -e /usr/lib/aarch64-linux-gnu/faketime/libfaketimeMT.so.1 ]; then
  say "faketime: present"
else
  say "faketime: installing from Debian"
  as_root apt-get update
  as_root apt-get install -y faketime
fi

# The audio tests make their own clips: espeak-ng reads a text, opusenc encodes it as Opus
# in Ogg at 24 kbps, sox cuts and pads it. No recording made this way is shipped.
for tool in espeak-ng:espeak-ng opusenc:opus-tools sox:sox; do
  if command -v "${tool%%:*}" >/dev/null; then
    say "${tool#*:}: present"
  else
    say "${tool#*:}: installing from Debian"
    as_root apt-get update
    as_root apt-get install -y --no-install-recommends "${tool#*:}"
  fi
done

# The doctor test makes a certificate that ends in ten days with the openssl command.
if command -v openssl >/dev/null; then
  say "openssl: present"
else
  say "openssl: installing from Debian"
  as_root apt-get update
  as_root apt-get install -y --no-install-recommends openssl
fi

# The alerts test sends mail to a real SMTP server with STARTTLS: Python's aiosmtpd.
if python3 -c "import aiosmtpd" 2>/dev/null; then
  say "aiosmtpd: present"
else
  say "aiosmtpd: installing"
  python3 -m pip install --quiet "aiosmtpd==1.4.6" 2>/dev/null ||
    python3 -m pip install --quiet --user --break-system-packages "aiosmtpd==1.4.6" 2>/dev/null || {
      as_root apt-get update
      as_root apt-get install -y --no-install-recommends python3-aiosmtpd
    }
fi

# The ACME test's world (tests/browser/acme-net.mjs): Let's Encrypt's test CA Pebble and its
# DNS server pebble-challtestsrv, BIND's named (with tsig-keygen) as the zone's authoritative
# server, dig and nsupdate, NSS's certutil for the browser's trusted roots, and ip for network
# namespaces.
if command -v pebble >/dev/null && command -v pebble-challtestsrv >/dev/null; then
  say "pebble: present"
else
  say "pebble: installing from Debian"
  as_root apt-get update
  as_root apt-get install -y pebble
fi

if [ -x /usr/sbin/named ] && [ -x /usr/sbin/tsig-keygen ]; then
  say "bind9: present"
else
  say "bind9: installing from Debian"
  as_root apt-get update
  as_root apt-get install -y bind9
  # The tests start named themselves; the system one would listen on every address, port 53.
  as_root sh -c 'systemctl disable --now named 2>/dev/null || service named stop 2>/dev/null || true'
fi

if command -v dig >/dev/null && command -v nsupdate >/dev/null; then
  say "dnsutils: present"
else
  say "dnsutils: installing from Debian"
  as_root apt-get update
  as_root apt-get install -y dnsutils
fi

if command -v certutil >/dev/null; then
  say "libnss3-tools: present"
else
  say "libnss3-tools: installing from Debian"
  as_root apt-get update
  as_root apt-get install -y libnss3-tools
fi

if command -v ip >/dev/null || [ -x /usr/sbin/ip ]; then
  say "iproute2: present"
else
  say "iproute2: installing from Debian"
  as_root apt-get update
  as_root apt-get install -y iproute2
fi
