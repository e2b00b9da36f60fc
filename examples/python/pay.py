#!/usr/bin/env python3
"""Push one OVO payment and act on the outcome: a template for back-office code.

    OVO_CLIENT_ID=MCH-... OVO_SECRET_KEY=SK-... \\
        python pay.py INV-20240101-0001 10000 081211111111 [--base-url http://127.0.0.1:8080]

Credentials come from the environment, never from the command line (it shows up in `ps`).
An unknown outcome is followed by one status check (DOKU's Check Status API); Ctrl-C cancels
the wait. Exit status: 0 paid, 1 not paid, 2 still unknown (check the status again before
retrying), 3 usage error.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from typing import List, Optional

import ovo

log = logging.getLogger("pay")

PAID, NOT_PAID, UNKNOWN, USAGE = 0, 1, 2, 3


def pay(client: ovo.Client, invoice_number: str, amount: int, ovo_id: str) -> int:
    try:
        payment = client.push_payment(invoice_number, amount, ovo_id)
    except ovo.InvalidArgument as e:
        log.error("not sent, fix %s: %s", e.field, e.message)
        return USAGE
    except ovo.NotSent as e:
        # Never reached DOKU: the customer was not charged; retrying is safe.
        log.warning("not sent (safe to retry): %s", e.message)
        return NOT_PAID
    except ovo.Rejected as e:
        # DOKU refused the request (credentials, checksum, fields): not paid.
        http = e.payment.http_status if e.payment else None
        log.error("rejected by DOKU (HTTP %s): %s", http, e.message)
        return NOT_PAID
    except ovo.PaymentInterrupted as e:
        # Ctrl-C: the wait was cancelled, but the customer may still pay in the app.
        log.warning("%s", e.message)
        return UNKNOWN
    except ovo.OvoError as e:
        # OutcomeUnknown (InFlight and Unsettled included) or InternalError: the customer may
        # have paid. Do not charge again and do not cancel the order: ask DOKU.
        request_id = e.payment.request_id if e.payment else None
        log.warning("outcome unknown (request %s): %s", request_id, e.message)
        return check(client, invoice_number)

    info = payment.response_code_info
    text = f"{payment.response_code} {info.name}" if info else payment.response_code
    if payment.outcome is ovo.Outcome.PAID:
        log.info(
            "PAID invoice=%s amount=%s cash=%s points=%s approval=%s at %s",
            payment.invoice_number,
            payment.amount,
            payment.cash_used,
            payment.points_used,
            payment.approval_code,
            payment.date.isoformat() if payment.date else "?",
        )
        return PAID
    if payment.outcome is ovo.Outcome.NOT_PAID:
        log.info("NOT PAID invoice=%s: %s", payment.invoice_number, text)
        return NOT_PAID
    # DOKU answered TIMEOUT: the customer may still pay. Never treat this as failed.
    log.warning("UNKNOWN invoice=%s (%s): checking the status with DOKU", invoice_number, text)
    return check(client, invoice_number)


def check(client: ovo.Client, invoice_number: str) -> int:
    """The next step after an unknown outcome: DOKU's Check Status API (once; run it again
    later, or use ``Client(reconcile=...)``, while it stays unknown)."""
    try:
        status = client.check_status(invoice_number)
    except ovo.OvoError as e:  # a refused or failed check tells nothing about the payment
        log.warning("UNKNOWN invoice=%s: status check failed (%s); retry later", invoice_number, e)
        return UNKNOWN
    if status.outcome is ovo.Outcome.PAID:
        log.info("PAID invoice=%s (status check: %s)", invoice_number, status.transaction_status)
        return PAID
    if status.outcome in (ovo.Outcome.NOT_PAID, ovo.Outcome.REFUNDED):
        log.info(
            "NOT PAID invoice=%s (status check: %s)", invoice_number, status.transaction_status
        )
        return NOT_PAID
    found = "not found yet" if status.not_found else status.transaction_status
    log.warning("UNKNOWN invoice=%s (status check: %s): check again later", invoice_number, found)
    return UNKNOWN


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("invoice_number")
    parser.add_argument("amount", type=int, help="whole rupiah")
    parser.add_argument("ovo_id", help="the customer's phone number")
    parser.add_argument("--production", action="store_true", help="use api.doku.com")
    parser.add_argument("--base-url", help="override the DOKU URL (e.g. a local sandbox)")
    parser.add_argument("--timeout", type=float, default=90.0, help="seconds (default 90)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(message)s")

    client_id = os.environ.get("OVO_CLIENT_ID")
    secret_key = os.environ.get("OVO_SECRET_KEY")
    if not client_id or not secret_key:
        log.error("set OVO_CLIENT_ID and OVO_SECRET_KEY")
        return USAGE
    try:
        client = ovo.Client(
            client_id,
            secret_key,
            environment="production" if args.production else "sandbox",
            base_url=args.base_url,
            timeout=args.timeout,
        )
    except ovo.InvalidArgument as e:
        log.error("bad setting %s: %s", e.field, e.message)
        return USAGE
    with client:
        return pay(client, args.invoice_number, args.amount, args.ovo_id)


if __name__ == "__main__":
    sys.exit(main())
