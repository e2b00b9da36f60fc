#!/usr/bin/env bash
# Builds the C# binding (bindings/csharp) and its tests with Mono's mcs, starts two ovo-sandboxes,
# runs the tests (which also build-check and run examples/csharp/Pay.cs) and exits non-zero on
# any failure. The runner's last line is "N passed, N failed". Journal files of the tests live
# in target/csharp/tmp (wiped at each run).
#
# Runs `cargo build --release --workspace` first (a no-op when up to date). Installs Mono (Debian
# packages mono-mcs, mono-runtime) when mcs or mono is missing.
# Usage: tests/csharp.sh [test-name-filter...]
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

# shellcheck source=tests/lib/apt.sh
. tests/lib/apt.sh
need_apt --no-install-recommends mono-mcs mono-runtime

# Always (a no-op when up to date): the tests never run against a stale libovo.so.
cargo build --release --workspace

OUT="$ROOT/target/csharp"
rm -rf "$OUT"
mkdir -p "$OUT/tmp"

# The library: C# 7.0 only (-langversion:7), warnings are errors (including CS1591, missing XML docs).
mcs -langversion:7 -target:library -warnaserror+ \
    -doc:"$OUT/Ovo.xml" -out:"$OUT/Ovo.dll" bindings/csharp/src/*.cs
# Tests and example: C# 7.x as mcs knows it (7.2 at most).
mcs -langversion:7.2 -warnaserror+ -r:"$OUT/Ovo.dll" -r:System.Core.dll -r:System.Xml.dll \
    -r:System.Xml.Linq.dll -out:"$OUT/OvoTests.exe" bindings/csharp/tests/*.cs
mcs -langversion:7.2 -warnaserror+ -r:"$OUT/Ovo.dll" -out:"$OUT/Pay.exe" examples/csharp/Pay.cs

# Two sandboxes on free ports; the first stdout line of each is its base URL. "fast" holds a
# push 2 s (DOKU's TIMEOUT tests stay short); "hold" keeps a push payable 60 s, for tests that
# act as the customer after cancels, client timeouts and reconcile pauses.
SANDBOX_PIDS=()
cleanup() {
    for pid in "${SANDBOX_PIDS[@]}"; do
        kill "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    exec 3<&- 4<&- 2>/dev/null || true
    rm -f "$OUT"/sandbox-*.fifo
}
trap cleanup EXIT
# start_sandbox NAME FD HOLD_SECONDS: starts one, sets SANDBOX_URL.
start_sandbox() {
    local name="$1" fd="$2" hold="$3" fifo="$OUT/sandbox-$1.fifo"
    mkfifo "$fifo"
    target/release/ovo-sandbox --port 0 --approve-delay 0.05 --hold "$hold" \
        >"$fifo" 2>"$OUT/sandbox-$name.log" &
    SANDBOX_PIDS+=("$!")
    eval "exec $fd<\"\$fifo\""
    if ! IFS= read -r -t 30 SANDBOX_URL <&"$fd" || [ -z "$SANDBOX_URL" ]; then
        echo "csharp.sh: ovo-sandbox ($name) did not report its URL; log:" >&2
        cat "$OUT/sandbox-$name.log" >&2 || true
        exit 1
    fi
    echo "csharp.sh: ovo-sandbox ($name, hold ${hold} s) at $SANDBOX_URL (log: $OUT/sandbox-$name.log)" >&2
}
start_sandbox fast 3 2
BASE_URL="$SANDBOX_URL"
start_sandbox hold 4 60
HOLD_URL="$SANDBOX_URL"

status=0
OVO_SANDBOX_URL="$BASE_URL" \
OVO_SANDBOX_HOLD_URL="$HOLD_URL" \
OVO_PAY_EXE="$OUT/Pay.exe" \
OVO_HEADER="$ROOT/include/ovo.h" \
OVO_DOC_XML="$OUT/Ovo.xml" \
OVO_CSHARP_README="$ROOT/bindings/csharp/README.md" \
OVO_TEST_TMP="$OUT/tmp" \
LD_LIBRARY_PATH="$ROOT/target/release${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" \
    mono --debug "$OUT/OvoTests.exe" "$@" || status=$?
exit "$status"
