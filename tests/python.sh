#!/usr/bin/env bash
# Python binding (bindings/python): type check, the wheel built by the documented command
# (bindings/python/build-wheel.sh: manylinux2014, libovo.so inside), a payment from a fresh
# virtualenv with that wheel, the example, then the pytest suite (its summary comes last).
# Needs: cargo, python3 (3.8+) with venv, PyPI for pytest/mypy/auditwheel/zig on the first run.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
PY="${PYTHON:-python3}"
LIB="$ROOT/target/release/libovo.so"
SANDBOX_BIN="$ROOT/target/release/ovo-sandbox"
VENV="$ROOT/target/py-venv"
WHEEL_VENV="$ROOT/target/py-wheel-venv"
PIP_QUIET=(--quiet --disable-pip-version-check --no-input)

say() { printf '== %s\n' "$*" >&2; }

SANDBOX_PID=""
cleanup() {
    if [[ -n "$SANDBOX_PID" ]]; then kill "$SANDBOX_PID" 2>/dev/null || true; wait "$SANDBOX_PID" 2>/dev/null || true; fi
}
trap cleanup EXIT

say "cargo build --release --workspace (up to date unless the sources changed: never a stale libovo.so)"
cargo build --release --workspace

# Tool venv: reused between runs, recreated when broken.
if ! "$VENV/bin/python" -c 'import pytest, mypy' 2>/dev/null; then
    say "creating $VENV"
    rm -rf "$VENV"
    "$PY" -m venv "$VENV"
    "$VENV/bin/python" -m pip install "${PIP_QUIET[@]}" pytest mypy
fi
VPY="$VENV/bin/python"

say "mypy --strict"
(cd bindings/python && "$VPY" -m mypy --strict --cache-dir "$ROOT/target/mypy-cache" src/ovo)
MYPYPATH="$ROOT/bindings/python/src" "$VPY" -m mypy --strict --cache-dir "$ROOT/target/mypy-cache" \
    examples/python/pay.py

say "building the wheel: bash bindings/python/build-wheel.sh"
WHEEL="$(bash bindings/python/build-wheel.sh)"
"$VPY" - "$WHEEL" <<'PYEOF'
import sys, zipfile
wheel = zipfile.ZipFile(sys.argv[1])
names = wheel.namelist()
for need in ("ovo/libovo.so", "ovo/py.typed", "ovo/__init__.py"):
    assert need in names, f"{need} missing from the wheel: {names}"
meta = wheel.read("ovo-0.1.0.dist-info/WHEEL").decode()
assert "Root-Is-Purelib: false" in meta, meta
assert "Tag: py3-none-manylinux2014_x86_64" in meta, meta
print("wheel:", sys.argv[1].rsplit("/", 1)[-1], file=sys.stderr)
PYEOF

# Fresh venv for the wheel, on the oldest supported Python when pyenv has it.
WHEEL_PY="$PY"
if command -v pyenv >/dev/null 2>&1; then
    for v in $(pyenv versions --bare 2>/dev/null | grep -E '^3\.8(\.|$)' | tail -1); do
        WHEEL_PY="$(pyenv root)/versions/$v/bin/python3"
    done
fi
say "installing the wheel into a fresh venv ($("$WHEEL_PY" --version 2>&1))"
rm -rf "$WHEEL_VENV"
"$WHEEL_PY" -m venv "$WHEEL_VENV"
"$WHEEL_VENV/bin/python" -m pip install "${PIP_QUIET[@]}" --no-index --no-deps "$WHEEL"

say "starting ovo-sandbox"
coproc SANDBOX { exec "$SANDBOX_BIN" --port 0 --approve-delay 0.05 --hold 2 2>"$ROOT/target/py-sandbox.log"; }
SANDBOX_PID=$SANDBOX_PID
read -r -t 30 SANDBOX_URL <&"${SANDBOX[0]}"
[[ "$SANDBOX_URL" == http://* ]] || { echo "ovo-sandbox did not start" >&2; exit 1; }

say "one payment with the installed wheel (OVO_LIBRARY unset, outside the repository)"
OUTSIDE="$(mktemp -d)"
(cd "$OUTSIDE" && env -u OVO_LIBRARY -u PYTHONPATH SANDBOX_URL="$SANDBOX_URL" \
    "$WHEEL_VENV/bin/python" - <<'PYEOF'
import os, uuid
import ovo
site = os.path.dirname(ovo.__file__)
assert ovo.library_path() == os.path.join(site, "libovo.so"), ovo.library_path()
with ovo.Client("MCH-0001-10791114622547", "SK-9sCrJ1kdYUJAYlsJKlqz",
                base_url=os.environ["SANDBOX_URL"], proxy=None) as client:
    payment = client.push_payment("INV-WHEEL-" + uuid.uuid4().hex[:12], 10000, "081211111111")
assert payment.outcome is ovo.Outcome.PAID, payment
print("wheel payment:", payment.outcome.name, payment.response_code, payment.request_id,
      "library", ovo.library_path(), file=__import__("sys").stderr)
PYEOF
)
rmdir "$OUTSIDE"

say "examples/python/pay.py with the installed wheel"
env -u OVO_LIBRARY -u PYTHONPATH NO_PROXY=127.0.0.1 \
    OVO_CLIENT_ID=MCH-0001-10791114622547 OVO_SECRET_KEY=SK-9sCrJ1kdYUJAYlsJKlqz \
    "$WHEEL_VENV/bin/python" examples/python/pay.py "INV-EX-$RANDOM$RANDOM" 10000 081211111111 \
    --base-url "$SANDBOX_URL"

cleanup
SANDBOX_PID=""

say "pytest"
cd bindings/python
OVO_LIBRARY="$LIB" OVO_SANDBOX="$SANDBOX_BIN" "$VPY" -m pytest -q -p no:cacheprovider "$@"
