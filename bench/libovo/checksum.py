"""ns per ``ovo.checksum`` call from Python (the ctypes binding over libovo).

Usage: checksum.py CALLS. Prints the same JSON line as ``checksum.c``.
"""

from __future__ import annotations

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "common"))
import bench_common as bc  # noqa: E402

import ovo  # noqa: E402


def main() -> None:
    if len(sys.argv) != 2:
        bc.usage("checksum.py CALLS")
    calls = int(sys.argv[1])
    out = ""
    c0 = bc.cpu_ns()
    for _ in range(calls):
        out = ovo.checksum(
            bc.AMOUNT, bc.CLIENT_ID, bc.CHECKSUM_INVOICE, bc.INSTANT_WALLET, bc.SECRET_KEY
        )
    spent = bc.cpu_ns() - c0
    bc.report(calls=calls, cpu_ns=spent, ns_per_call=spent / max(calls, 1), checksum=out)


main()
