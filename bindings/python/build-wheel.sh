#!/usr/bin/env bash
# Builds the wheel to install: target/wheels/ovo-VERSION-py3-none-manylinux_2_17_x86_64
# .manylinux2014_x86_64.whl, with the glibc-2.17 libovo.so inside (`make portable`), and checks
# it with auditwheel. Prints the wheel's path last.
#
#   bash bindings/python/build-wheel.sh          (from anywhere; needs cargo, python3 -m venv
#                                                 and PyPI on the first run)
#   pip install target/wheels/ovo-*.whl
#
# Tools (setuptools, wheel, auditwheel) go to a venv under target/tools/, reused between runs.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
VENV="$ROOT/target/tools/wheel"
OUT="$ROOT/target/wheels"
PIP=(--quiet --disable-pip-version-check --no-input)

make -C "$ROOT" --no-print-directory portable >&2
if ! "$VENV/bin/python" -c 'import setuptools, wheel, auditwheel' 2>/dev/null; then
    rm -rf "$VENV"
    "${PYTHON:-python3}" -m venv "$VENV"
    "$VENV/bin/python" -m pip install "${PIP[@]}" 'setuptools>=70.1' wheel auditwheel >&2
fi
rm -rf "$OUT" "$ROOT/target/py-build"
"$VENV/bin/python" -m pip wheel "${PIP[@]}" --no-deps --no-build-isolation -w "$OUT" \
    "$ROOT/bindings/python" >&2
wheel=$(echo "$OUT"/ovo-*.whl)
# auditwheel reads the ELF files inside: the tag must be one it agrees with.
verdict=$("$VENV/bin/auditwheel" show "$wheel" 2>&1) || { echo "$verdict" >&2; exit 1; }
echo "$verdict" >&2
if [[ $(tr -s ' \n' ' ' <<<"$verdict") != *'consistent with the following platform tag: "manylinux_2_17_'* ]]; then
    echo "build-wheel.sh: auditwheel does not confirm manylinux_2_17 for $wheel" >&2
    exit 1
fi
echo "$wheel"
