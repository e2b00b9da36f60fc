# Sourced by test scripts that need a running ovo-sandbox (needs $ROOT, the repository root).
#
#   start_sandbox LOG [ARGS...]  starts target/release/ovo-sandbox on an OS-chosen loopback port
#                                with ARGS; sets OVO_SANDBOX_URL (its first stdout line) and
#                                SANDBOX_PID; its stderr goes to LOG
#   stop_sandbox                 stops it; safe to call twice (call it from an EXIT trap)

SANDBOX_PID=""

start_sandbox() {
    local log=$1
    shift
    coproc OVO_SANDBOX_PROC { exec "$ROOT/target/release/ovo-sandbox" --port 0 "$@" 2>"$log"; }
    SANDBOX_PID=$OVO_SANDBOX_PROC_PID
    # `read -t` only bounds a sandbox that never starts; it prints its URL once listening.
    if ! read -r -t 60 OVO_SANDBOX_URL <&"${OVO_SANDBOX_PROC[0]}" || [[ $OVO_SANDBOX_URL != http://* ]]; then
        echo "ovo-sandbox did not print its base URL; its log:" >&2
        cat "$log" >&2 || true
        return 1
    fi
    export OVO_SANDBOX_URL
}

stop_sandbox() {
    if [[ -n $SANDBOX_PID ]]; then
        kill "$SANDBOX_PID" 2>/dev/null || true
        wait "$SANDBOX_PID" 2>/dev/null || true
        SANDBOX_PID=""
    fi
}
