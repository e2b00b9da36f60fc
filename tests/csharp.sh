#!/usr/bin/env bash
# Builds the C# binding (bindings/csharp) and its tests with Mono's mcs, starts ovo-sandbox,
# runs the tests (which also build-check and run examples/csharp/Pay.cs) and exits non-zero on
# any failure. The runner's last line is "N passed, N failed".
#
# Expects `cargo build --release` to have been run; builds the workspace itself when
# target/release/libovo.so or target/release/ovo-sandbox is missing. Installs Mono (Debian
# packages mono-mcs, mono-runtime) when mcs or mono is missing.
# Usage: tests/csharp.sh [test-name-filter...]
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

if ! command -v mcs >/dev/null 2>&1 || ! command -v mono >/dev/null 2>&1; then
    echo "csharp.sh: installing Mono (mono-mcs, mono-runtime)" >&2
    SUDO=""
    if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
    export DEBIAN_FRONTEND=noninteractive
    if ! $SUDO apt-get install -y --no-install-recommends mono-mcs mono-runtime; then
        $SUDO apt-get update
        $SUDO apt-get install -y --no-install-recommends mono-mcs mono-runtime
    fi
fi

if [ ! -f target/release/libovo.so ] || [ ! -x target/release/ovo-sandbox ]; then
    cargo build --release --workspace --all-features
fi

OUT="$ROOT/target/csharp"
rm -rf "$OUT"
mkdir -p "$OUT"

# The library: C# 7.0 only (-langversion:7), warnings are errors (including CS1591, missing XML docs).
mcs -langversion:7 -target:library -warnaserror+ \
    -doc:"$OUT/Ovo.xml" -out:"$OUT/Ovo.dll" bindings/csharp/src/*.cs
# Tests and example: C# 7.x as mcs knows it (7.2 at most).
mcs -langversion:7.2 -warnaserror+ -r:"$OUT/Ovo.dll" -r:System.Core.dll \
    -out:"$OUT/OvoTests.exe" bindings/csharp/tests/*.cs
mcs -langversion:7.2 -warnaserror+ -r:"$OUT/Ovo.dll" -out:"$OUT/Pay.exe" examples/csharp/Pay.cs

# Start the sandbox on a free port; its first stdout line is its base URL.
SANDBOX_PID=""
cleanup() {
    if [ -n "$SANDBOX_PID" ]; then
        kill "$SANDBOX_PID" 2>/dev/null || true
        wait "$SANDBOX_PID" 2>/dev/null || true
    fi
    exec 3<&- 2>/dev/null || true
    rm -f "$OUT/sandbox.fifo"
}
trap cleanup EXIT
mkfifo "$OUT/sandbox.fifo"
target/release/ovo-sandbox --port 0 --approve-delay 0.05 --hold 2 \
    >"$OUT/sandbox.fifo" 2>"$OUT/sandbox.log" &
SANDBOX_PID=$!
exec 3<"$OUT/sandbox.fifo"
if ! IFS= read -r -t 30 BASE_URL <&3 || [ -z "$BASE_URL" ]; then
    echo "csharp.sh: ovo-sandbox did not report its URL; log:" >&2
    cat "$OUT/sandbox.log" >&2 || true
    exit 1
fi
echo "csharp.sh: ovo-sandbox at $BASE_URL (log: $OUT/sandbox.log)" >&2

status=0
OVO_SANDBOX_URL="$BASE_URL" \
OVO_PAY_EXE="$OUT/Pay.exe" \
OVO_HEADER="$ROOT/include/ovo.h" \
LD_LIBRARY_PATH="$ROOT/target/release${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" \
    mono --debug "$OUT/OvoTests.exe" "$@" || status=$?
exit "$status"
