"""The Python checksum peer: ``hashlib.sha256`` over the concatenated fields, hex.

Usage: checksum.py CALLS. Prints the same JSON line as ``checksum.c``.
"""

from __future__ import annotations

import hashlib
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "common"))
import bench_common as bc  # noqa: E402


def checksum(amount: int, client_id: str, invoice: str, ovo_id: str, secret: str) -> str:
    """``security.check_sum`` as a Python developer writes it."""
    return hashlib.sha256(f"{amount}{client_id}{invoice}{ovo_id}{secret}".encode()).hexdigest()


def main() -> None:
    if len(sys.argv) != 2:
        bc.usage("checksum.py CALLS")
    calls = int(sys.argv[1])
    out = ""
    c0 = bc.cpu_ns()
    for _ in range(calls):
        out = checksum(bc.AMOUNT, bc.CLIENT_ID, bc.CHECKSUM_INVOICE, bc.INSTANT_WALLET, bc.SECRET_KEY)
    spent = bc.cpu_ns() - c0
    bc.report(calls=calls, cpu_ns=spent, ns_per_call=spent / max(calls, 1), checksum=out)


main()
