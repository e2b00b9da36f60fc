"""Constants and measuring helpers shared by the Python benchmark programs (both sides).

Mirrors ``common/measure.h``: the sandbox's default merchant, the wallets, the amount, CPU
time from getrusage and the one-line JSON report.
"""

from __future__ import annotations

import json
import resource
import sys
import time
from typing import Any, Callable, Optional

#: The sandbox's default merchant (DOKU's documented sample credentials).
CLIENT_ID = "MCH-0001-10791114622547"
SECRET_KEY = "SK-9sCrJ1kdYUJAYlsJKlqz"
#: The scripted wallet that the sandbox (--approve-delay 0) answers SUCCESS at once.
INSTANT_WALLET = "081211111111"
#: Every payment is for 1 rupiah so the sandbox wallets never run dry during a run.
AMOUNT = 1
#: The fixed invoice of the checksum benchmark.
CHECKSUM_INVOICE = "INV-20210115-0001"


def cpu_ns() -> int:
    """User + system CPU time of this process (all threads) in nanoseconds, from getrusage."""
    ru = resource.getrusage(resource.RUSAGE_SELF)
    return int((ru.ru_utime + ru.ru_stime) * 1e9)


def report(**fields: Any) -> None:
    """Prints the program's one JSON line for the harness."""
    sys.stdout.write(json.dumps(fields) + "\n")
    sys.stdout.flush()


def usage(text: str) -> None:
    """Prints a usage line and exits 2."""
    sys.stderr.write(f"usage: {text}\n")
    sys.exit(2)


def run_sequential(make_payer: Callable[[str, Optional[str]], Callable[[str], bool]]) -> None:
    """The sequential-payment program, as ``pay.c``: ``pay.py BASE_URL PAYMENTS PREFIX [CA]``.

    ``make_payer(base_url, ca_file)`` sets a side up and returns ``pay(invoice) -> paid``. Pays
    PREFIX-0 first (new connection), then PAYMENTS more, and prints the same JSON line.
    """
    if len(sys.argv) not in (4, 5):
        usage("pay.py BASE_URL PAYMENTS INVOICE_PREFIX [CA_FILE]")
    base_url, payments, prefix = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    pay = make_payer(base_url, sys.argv[4] if len(sys.argv) == 5 else None)
    f0 = time.monotonic_ns()
    errors = 0 if pay(f"{prefix}-0") else 1
    first_ns = time.monotonic_ns() - f0
    first_done = time.time_ns()
    c0, w0 = cpu_ns(), time.monotonic_ns()
    for i in range(1, payments + 1):
        if not pay(f"{prefix}-{i}"):
            errors += 1
    wall, cpu = time.monotonic_ns() - w0, cpu_ns() - c0
    report(first_ns=first_ns, first_done_real_ns=first_done, payments=payments, wall_ns=wall,
           cpu_ns=cpu, errors=errors)
