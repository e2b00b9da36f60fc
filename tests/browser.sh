#!/usr/bin/env bash
# tests/browser.sh: the Payment Simulator page in headless Chromium (Debian's, driven by
# playwright-core from npm; never a downloaded browser), payments pushed through libovo.
#
# Installs chromium (apt) when /usr/bin/chromium is missing and the pinned npm packages
# (`npm ci` in tests/browser), builds the release workspace and tests/browser/driver.c,
# starts ovo-sandbox on an OS-chosen port (its first stdout line is its base URL) and runs
# tests/browser/simulator.test.mjs with `node --test`. Screenshots and the sandbox log go to
# target/browser/.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
OUT="$ROOT/target/browser"
REL="$ROOT/target/release"
mkdir -p "$OUT"

# shellcheck source=tests/lib/apt.sh
. tests/lib/apt.sh
need_apt chromium

echo "== npm ci (tests/browser)"
(cd tests/browser && npm ci --no-audit --no-fund --loglevel=error)

echo "== cargo build --release --workspace (up to date unless the sources changed)"
cargo build --release --workspace
echo "== driver"
gcc -std=c99 -Wall -Wextra -Werror -pedantic -O1 -I"$ROOT/include" tests/browser/driver.c \
    -L"$REL" -lovo -lpthread -Wl,-rpath,"$REL" -o "$OUT/driver"

SANDBOX_PID=""
cleanup() {
    if [[ -n $SANDBOX_PID ]]; then
        kill "$SANDBOX_PID" 2>/dev/null || true
        wait "$SANDBOX_PID" 2>/dev/null || true
    fi
}
trap cleanup EXIT
coproc SANDBOX_PROC { exec "$REL/ovo-sandbox" --port 0 2>"$OUT/sandbox.log"; }
SANDBOX_PID=$SANDBOX_PROC_PID
# The first stdout line is the base URL; `read -t` only bounds a sandbox that never starts.
if ! read -r -t 60 OVO_SANDBOX_URL <&"${SANDBOX_PROC[0]}" || [[ $OVO_SANDBOX_URL != http://* ]]; then
    echo "ovo-sandbox did not print its base URL; log:" >&2
    cat "$OUT/sandbox.log" >&2 || true
    exit 1
fi
echo "== sandbox at $OVO_SANDBOX_URL (pid $SANDBOX_PID)"

export OVO_SANDBOX_URL OVO_DRIVER="$OUT/driver" OVO_ARTIFACTS="$OUT" OVO_SANDBOX_BIN="$REL/ovo-sandbox"
status=0
(cd tests/browser && node --test --test-concurrency=1 --test-reporter=spec simulator.test.mjs) || status=$?
echo "== screenshots: $(ls "$OUT"/*.png 2>/dev/null | tr '\n' ' ')"
echo "== sandbox log: $OUT/sandbox.log ($(wc -l <"$OUT/sandbox.log") lines)"
exit $status
