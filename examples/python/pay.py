#!/usr/bin/env python3
"""Push one OVO payment and act on the outcome: a template for back-office code.

    OVO_CLIENT_ID=MCH-... OVO_SECRET_KEY=SK-... \\
        python pay.py INV-20240101-0001 10000 081211111111 [--base-url http://127.0.0.1:8080]
        python pay.py --journal pos.db INV-20240101-0001 10000 081211111111
        python pay.py --journal pos.db --settle

Credentials come from the environment, never from the command line (it shows up in `ps`).
An unknown outcome is followed by one status check (DOKU's Check Status API); Ctrl-C cancels
the wait. ``--journal PATH`` records every push in that file before it is sent: an invoice is
then pushed at most once across runs (a paid one is refused, an open one until it is
settled); ``--settle`` settles every invoice the journal holds open (after a crash, say).
Exit status: 0 paid, 1 not paid, 2 still unknown (check the status again before retrying),
3 usage error; ``--settle``: 0 when every open invoice got a final outcome, 2 when one is
still unknown.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from typing import List, NoReturn, Optional

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
    except ovo.AlreadyPaid as e:
        # The journal holds this invoice as paid (by an earlier run): nothing was sent.
        log.info("PAID already (nothing sent, do not charge again): %s", e.message)
        return PAID
    except ovo.InvoiceUsed as e:
        log.info("NOT PAID (nothing sent; push again with a new invoice number): %s", e.message)
        return NOT_PAID
    except ovo.Unsettled as e:
        # An earlier push of it (maybe by a run that was killed) may be paid: never push again,
        # settle it.
        state = e.payment.journal_state if e.payment else None
        log.warning("an earlier push is open (journal: %s), nothing sent: %s", state, e.message)
        return check(client, invoice_number)
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
    """The next step after an unknown outcome: settle the invoice, i.e. DOKU's Check Status
    API, its answer recorded in the journal when there is one (once; run it again later, or
    use ``Client(reconcile=...)``, while it stays unknown)."""
    try:
        status = client.settle(invoice_number)
    except ovo.InvalidArgument as e:
        log.error("cannot settle %s: %s", e.field, e.message)
        return UNKNOWN
    return report(status, invoice_number)


def report(status: ovo.Payment, invoice_number: str) -> int:
    """Logs a settled invoice's outcome; returns the exit status it means."""
    if status.kind is ovo.Kind.PUSH:  # the journal's stored row: nothing was asked
        how = f"journal: {status.journal_state}"
    elif status.not_found:
        how = "status check: not found yet"
    else:
        how = f"status check: {status.transaction_status}"
    if status.outcome is ovo.Outcome.PAID:
        log.info("PAID invoice=%s (%s)", invoice_number, how)
        return PAID
    if status.outcome in (ovo.Outcome.NOT_PAID, ovo.Outcome.REFUNDED):
        log.info("NOT PAID invoice=%s (%s)", invoice_number, how)
        return NOT_PAID
    if status.message:  # the check failed: it tells nothing about the payment
        how = f"status check failed: {status.message}"
    log.warning("UNKNOWN invoice=%s (%s): check again later", invoice_number, how)
    return UNKNOWN


def settle_all(client: ovo.Client) -> int:
    """Settles every invoice the journal holds open (pushed by a run that stopped or gave up)."""
    settled = client.settle_all()
    if not settled:
        log.info("nothing open: every invoice has a final outcome")
    exits = [report(p, p.request_invoice_number or "?") for p in settled]
    return UNKNOWN if UNKNOWN in exits else PAID


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> "NoReturn":
        self.print_usage(sys.stderr)
        self.exit(USAGE, f"{self.prog}: error: {message}\n")  # 2 would read as UNKNOWN


def main(argv: Optional[List[str]] = None) -> int:
    parser = _Parser(description=__doc__.splitlines()[0])
    parser.add_argument("invoice_number", nargs="?")
    parser.add_argument("amount", nargs="?", type=int, help="whole rupiah")
    parser.add_argument("ovo_id", nargs="?", help="the customer's phone number")
    parser.add_argument("--production", action="store_true", help="use api.doku.com")
    parser.add_argument("--base-url", help="override the DOKU URL (e.g. a local sandbox)")
    parser.add_argument("--timeout", type=float, help="seconds (default: libovo's)")
    parser.add_argument("--journal", help="record every push in this file (SQLite) first")
    parser.add_argument(
        "--settle", action="store_true", help="settle every open invoice of the journal"
    )
    args = parser.parse_args(argv)
    if args.settle and (args.journal is None or args.invoice_number is not None):
        parser.error("--settle needs --journal PATH and no invoice")
    if not args.settle and args.ovo_id is None:
        parser.error("expected INVOICE_NUMBER AMOUNT OVO_ID")
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
            journal=args.journal,
        )
    except ovo.InvalidArgument as e:
        log.error("bad setting %s: %s", e.field, e.message)
        return USAGE
    with client:
        if args.settle:
            return settle_all(client)
        return pay(client, args.invoice_number, args.amount, args.ovo_id)


if __name__ == "__main__":
    sys.exit(main())
