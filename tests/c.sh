#!/usr/bin/env bash
# tests/c.sh: the C test suite of libovo's C ABI (include/ovo.h).
#
#   tests/c.sh                  build what is missing, then run everything
#   (it always runs `cargo build --release --workspace` first: a no-op when the library is fresh,
#   so a test never runs against a stale libovo.so)
#   OVO_C_MODES="plain asan"    choose among: plain asan valgrind (default: all three)
#   OVO_C_TESTS="test_checksum" choose programs (default: all of tests/c/test_*.c)
#
# Steps: (1) compile include/ovo.h alone as C99/C11 and as C++11/C++17 with warnings as
# errors, and check that its macros are OVO_*/ovo_* and usable; (2) start two local DOKU
# sandboxes on OS-chosen loopback ports (the base URL is each one's first stdout line) and hand
# them to the tests as OVO_SANDBOX_URL (hold 1 s) and OVO_SANDBOX_HOLD_URL (hold 60 s, approve
# delay 0); (3) build every tests/c/test_*.c three ways and run it with OVO_TEST_MODE set:
# plain (linked against target/release/libovo.so), AddressSanitizer + UndefinedBehaviorSanitizer
# + LeakSanitizer, and the plain build under valgrind (definite and indirect leaks are errors).
# Each program prints "N passed, N failed"; (4) prove both leak checkers see libovo's
# allocations; (5) build examples/c/pay.c and run it paid and past its deadline.
# Exits non-zero when anything failed.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
REL="$ROOT/target/release"
OUT="$ROOT/target/c-tests"
CC=${CC:-gcc}
CXX=${CXX:-g++}
MODES=${OVO_C_MODES:-plain asan valgrind}
START=$(date +%s)

echo "== cargo build --release --workspace (up to date unless the sources changed)"
cargo build --release --workspace

# test_journal writes another program's SQLite database with the sqlite3 tool.
# shellcheck source=tests/lib/apt.sh
. tests/lib/apt.sh
need_apt sqlite3 valgrind g++

mkdir -p "$OUT/plain" "$OUT/asan" "$OUT/logs"
CFLAGS=(-std=c99 -Wall -Wextra -Werror -pedantic -g -O1 -I"$ROOT/include" -I"$ROOT/tests/c")
LDFLAGS=(-L"$REL" -lovo -lpthread -Wl,-rpath,"$REL")
SANFLAGS=(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)

failures=0
declare -a SUMMARY=()
note() { SUMMARY+=("$(printf '%-10s %-16s %s' "$1" "$2" "$3")"); }

# --- 1. The header on its own. -----------------------------------------------------------
echo "== header"
header_check() { # label, compiler and flags...
    local label=$1; shift
    if "$@" -Wall -Wextra -Werror -pedantic -fsyntax-only "$ROOT/include/ovo.h"; then
        note header "$label" ok
    else
        note header "$label" FAILED
        failures=$((failures + 1))
    fi
}
header_check c99 "$CC" -std=c99 -Wstrict-prototypes -x c
header_check c11 "$CC" -std=c11 -Wstrict-prototypes -x c
header_check c++11 "$CXX" -std=c++11 -x c++
header_check c++17 "$CXX" -std=c++17 -x c++

# Every macro of the header is in libovo's namespace (OVO_* or ovo_*): a host program must be
# able to define PREFIX_MIN or MAX_LEN itself.
header_namespace() {
    local foreign
    foreign=$(grep -oE '^#define [A-Za-z_][A-Za-z0-9_]*' "$ROOT/include/ovo.h" | awk '{print $2}' |
        grep -vE '^(OVO_|ovo_)' || true)
    [[ -z $foreign ]] ||
        { echo "include/ovo.h defines macros outside OVO_*/ovo_*:" $foreign >&2; return 1; }
}
# Every object-like macro with a value compiles where a C program would use it.
header_macros() {
    local src="$OUT/header_macros.c" name value
    {
        echo '#include "ovo.h"'
        echo 'int main(void) {'
        while read -r _ name value; do
            if [[ $value == \{* ]]; then
                echo "    { uint32_t values[] = $name; (void)values; }"
            else
                echo "    (void)($name);"
            fi
        done < <(grep -E '^#define [A-Za-z_][A-Za-z0-9_]* .' "$ROOT/include/ovo.h")
        echo '    return 0;'
        echo '}'
    } >"$src"
    "$CC" -std=c99 -Wall -Wextra -Werror -pedantic -I"$ROOT/include" -c "$src" -o /dev/null \
        2>"$OUT/logs/header_macros.log" ||
        { grep -m 4 'error:' "$OUT/logs/header_macros.log" >&2; return 1; }
}
for check in header_namespace header_macros; do
    if "$check"; then
        note header "${check#header_}" ok
    else
        note header "${check#header_}" FAILED
        failures=$((failures + 1))
    fi
done

# --- 2. The sandboxes. ---------------------------------------------------------------------
# OVO_SANDBOX_URL: hold 1 s, approve delay 50 ms (scripted wallets answer quickly, a held push
# times out after 1 s). OVO_SANDBOX_HOLD_URL: hold 60 s, approve delay 0 (pushes to manual
# wallets stay held while a test cancels, reconciles or pays them; scripted wallets answer at
# once, for the cancel race).
SANDBOX_PIDS=()
cleanup() {
    local pid
    for pid in "${SANDBOX_PIDS[@]}"; do
        kill "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
}
trap cleanup EXIT
start_sandbox() { # variable name, log name, sandbox flags...
    local var=$1 log="$OUT/logs/$2.log" fd url
    shift 2
    exec {fd}< <(exec "$REL/ovo-sandbox" --port 0 "$@" 2>"$log")
    SANDBOX_PIDS+=("$!")
    # The first stdout line is the base URL; `read -t` only bounds a sandbox that never starts.
    if ! read -r -t 60 url <&"$fd" || [[ $url != http://* ]]; then
        echo "ovo-sandbox $* did not print its base URL; log:" >&2
        cat "$log" >&2 || true
        exit 1
    fi
    printf -v "$var" '%s' "$url"
    export "${var?}"
    echo "== sandbox $* at $url (pid $!)"
}
start_sandbox OVO_SANDBOX_URL sandbox --hold 1 --approve-delay 0.05
start_sandbox OVO_SANDBOX_HOLD_URL sandbox-hold --hold 60 --approve-delay 0

# --- 3. The programs. ----------------------------------------------------------------------
if [[ -n ${OVO_C_TESTS:-} ]]; then
    read -r -a TESTS <<<"$OVO_C_TESTS"
else
    TESTS=()
    for f in "$ROOT"/tests/c/test_*.c; do TESTS+=("$(basename "$f" .c)"); done
fi

# LeakSanitizer: no suppressions are needed. libovo's deliberate one-time allocations (the
# response-code table in a OnceLock, Rust std's thread-locals) stay reachable from globals
# or live threads, which LSan does not report. Keep it that way: a real leak must fail.
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=0:strict_string_checks=1:detect_stack_use_after_return=1:check_initialization_order=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
VALGRIND=(valgrind --leak-check=full --error-exitcode=1 --errors-for-leak-kinds=definite,indirect
          --show-leak-kinds=definite,indirect --track-origins=no -q)

run_one() { # mode, name, command...
    local mode=$1 name=$2; shift 2
    local log="$OUT/logs/$name.$mode.log" t0 t1 rc=0 last
    t0=$(date +%s.%N)
    "$@" >"$log" 2>&1 || rc=$?
    t1=$(date +%s.%N)
    last=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$log" | tail -n 1 || true)
    local secs
    secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1fs", b - a }')
    if [[ $rc -eq 0 && $last =~ ^[0-9]+\ passed,\ 0\ failed$ ]]; then
        note "$mode" "$name" "$last ($secs)"
        echo "   ok    $mode $name: $last ($secs)"
    else
        note "$mode" "$name" "FAILED: ${last:-no summary line} exit $rc ($secs)"
        echo "   FAIL  $mode $name: ${last:-no summary line}, exit $rc; log $log" >&2
        grep -E 'FAIL|ERROR|Sanitizer|runtime error|definitely lost|indirectly lost' "$log" \
            | head -n 40 >&2 || true
        failures=$((failures + 1))
    fi
}

for name in "${TESTS[@]}"; do
    src="$ROOT/tests/c/$name.c"
    echo "== $name"
    if ! "$CC" "${CFLAGS[@]}" "$src" -o "$OUT/plain/$name" "${LDFLAGS[@]}"; then
        note build "$name" "FAILED (plain)"
        failures=$((failures + 1))
        continue
    fi
    for mode in $MODES; do
        case $mode in
        plain)
            run_one plain "$name" env OVO_TEST_MODE=plain "$OUT/plain/$name" ;;
        asan)
            if "$CC" "${CFLAGS[@]}" "${SANFLAGS[@]}" "$src" -o "$OUT/asan/$name" "${LDFLAGS[@]}"; then
                run_one asan "$name" env OVO_TEST_MODE=asan "$OUT/asan/$name"
            else
                note build "$name" "FAILED (asan)"
                failures=$((failures + 1))
            fi ;;
        valgrind)
            # OVO_TEST_MODE=valgrind widens the latency bounds (cancel: 100 ms plain, x5 under
            # ASan, x30 here) and lengthens the short push timeouts; every loop runs in full
            # (the 1,000-round cancel race takes about 3 s here). OVO_TEST_QUICK=1 would select
            # the lighter variant of the older programs should a slower machine need it.
            run_one valgrind "$name" env OVO_TEST_MODE=valgrind "${VALGRIND[@]}" "$OUT/plain/$name" ;;
        *)
            echo "unknown mode $mode" >&2
            exit 2 ;;
        esac
    done
done

# --- 4. The leak checkers can see libovo's allocations (canary_leak.c leaks on purpose). --
echo "== leak canary"
canary() { # mode, command...
    local mode=$1 log="$OUT/logs/canary_leak.$1.log"; shift
    if "$@" >"$log" 2>&1; then
        note canary "$mode" "FAILED: a deliberate leak went unnoticed (log $log)"
        echo "   FAIL  $mode did not report the deliberate leak" >&2
        failures=$((failures + 1))
    elif grep -qE 'libovo\.so' "$log"; then
        note canary "$mode" "ok (deliberate leak reported)"
    else
        note canary "$mode" "FAILED: no leak report inside libovo.so (log $log)"
        failures=$((failures + 1))
    fi
}
for mode in $MODES; do
    case $mode in
    asan)
        "$CC" "${CFLAGS[@]}" "${SANFLAGS[@]}" "$ROOT/tests/c/canary_leak.c" -o "$OUT/asan/canary_leak" "${LDFLAGS[@]}"
        canary asan "$OUT/asan/canary_leak" ;;
    valgrind)
        "$CC" "${CFLAGS[@]}" "$ROOT/tests/c/canary_leak.c" -o "$OUT/plain/canary_leak" "${LDFLAGS[@]}"
        canary valgrind "${VALGRIND[@]}" "$OUT/plain/canary_leak" ;;
    esac
done

# --- 5. The example a POS developer copies: built as documented, run against the sandboxes. --
echo "== examples/c/pay.c"
example() { # label, expected exit status, log name, pay arguments..., then grep patterns after --
    local label=$1 want=$2 log="$OUT/logs/$3.log" rc=0 args=() pattern ok=1
    shift 3
    while [[ $# -gt 0 && $1 != -- ]]; do args+=("$1"); shift; done
    shift
    "$OUT/plain/pay" "${args[@]}" >"$log" 2>&1 || rc=$?
    [[ $rc -eq $want ]] || ok=0
    for pattern in "$@"; do grep -q -- "$pattern" "$log" || ok=0; done
    if [[ $ok -eq 1 ]]; then
        note example "$label" "ok (exit $rc)"
    else
        note example "$label" "FAILED: exit $rc, want $want (log $log)"
        cat "$log" >&2 || true
        failures=$((failures + 1))
    fi
}
if "$CC" -std=c99 -Wall -Wextra -Werror -pedantic -I"$ROOT/include" "$ROOT/examples/c/pay.c" \
        -o "$OUT/plain/pay" "${LDFLAGS[@]}"; then
    example "pay.c paid" 0 example "$OVO_SANDBOX_URL" MCH-0001-10791114622547 \
        SK-9sCrJ1kdYUJAYlsJKlqz "EX-C-$$-$(date +%s)" 15000 081211111111 -- "^PAID"
    # A customer who never approves: the cashier's deadline (1 s) cancels the wait, the status
    # check says PENDING, and the till must not charge again.
    example "pay.c deadline" 2 example-deadline "$OVO_SANDBOX_HOLD_URL" MCH-0001-10791114622547 \
        SK-9sCrJ1kdYUJAYlsJKlqz "EX-D-$$-$(date +%s)" 15000 081234567890 1 -- \
        "cancelling the wait" ", cancelled" "^status check: PENDING" "^UNKNOWN: do not charge again"
else
    note example pay.c "FAILED (build)"
    failures=$((failures + 1))
fi

# --- Summary. ------------------------------------------------------------------------------
echo
echo "== summary ($(( $(date +%s) - START )) s)"
printf '%s\n' "${SUMMARY[@]}"
if [[ $failures -ne 0 ]]; then
    echo "$failures FAILED" >&2
    exit 1
fi
echo "all passed"
