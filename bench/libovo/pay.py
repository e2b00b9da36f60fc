"""Sequential payments through libovo's Python binding (``ovo.Client.push_payment``).

Usage: pay.py BASE_URL PAYMENTS INVOICE_PREFIX [CA_FILE]; the JSON line of ``pay.c``.
"""

from __future__ import annotations

import os
import sys
from typing import Callable, Optional

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "common"))
import bench_common as bc  # noqa: E402

import ovo  # noqa: E402


def make_payer(base_url: str, ca_file: Optional[str]) -> Callable[[str], bool]:
    """One client (keep-alive); a payment is paid when its outcome is PAID."""
    client = ovo.Client(bc.CLIENT_ID, bc.SECRET_KEY, base_url=base_url, ca_file=ca_file, proxy=None)

    def pay(invoice: str) -> bool:
        try:
            payment = client.push_payment(invoice, bc.AMOUNT, bc.INSTANT_WALLET)
        except ovo.OvoError as e:
            sys.stderr.write(f"payment {invoice} not paid: {e}\n")
            return False
        return payment.outcome is ovo.Outcome.PAID

    return pay


bc.run_sequential(make_payer)
