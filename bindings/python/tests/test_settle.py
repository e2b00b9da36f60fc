"""Settling UNKNOWN: codes 40/68 and HTTP 408/409, reconcile, and the one-push-per-invoice guard
(in flight, unsettled) refusing with nothing sent."""

from __future__ import annotations

import json
import threading
from typing import Callable, List

import pytest

import ovo
from conftest import (
    CLIENT_ID,
    MANUAL,
    PAY_CASH,
    PAYS_SILENTLY,
    SECRET_KEY,
    FakeDoku,
    Sandbox,
    http_response,
    new_invoice,
    wait_until,
)

FakeFactory = Callable[..., FakeDoku]


def echo_answer(request: bytes, status: str, code: str) -> bytes:
    """DOKU's push answer for the request it got, with ``status`` and ``code``."""
    body = json.loads(request.partition(b"\r\n\r\n")[2])
    answer = {
        "client": body["client"],
        "order": body["order"],
        "ovo_info": {"ovo_id": body["ovo_info"]["ovo_id"], "ovo_account_name": "Test"},
        "ovo_payment": {"status": status, "response_code": code, "date": "20201014162928"},
        "security": {"check_sum": "00"},
    }
    return http_response("200 OK", json.dumps(answer).encode())


@pytest.mark.parametrize("code", ["40", "68"])
def test_failed_40_or_68_is_unknown_and_keeps_the_answer(fake_doku: FakeFactory, code: str) -> None:
    server = fake_doku("respond", lambda request: echo_answer(request, "FAILED", code))
    with ovo.Client(CLIENT_ID, SECRET_KEY, base_url=server.url, proxy=None) as client:
        with pytest.raises(ovo.OutcomeUnknown) as info:
            client.push_payment(new_invoice(), 10000, PAY_CASH)
    err = info.value
    assert err.outcome is ovo.Outcome.UNKNOWN and f"code {code}" in err.message
    assert err.payment is not None
    assert (err.payment.status, err.payment.response_code) == ("FAILED", code)
    assert err.payment.account_name == "Test"  # DOKU's fields stay readable


@pytest.mark.parametrize(
    "status, error, outcome",
    [
        ("408 Request Timeout", ovo.OutcomeUnknown, ovo.Outcome.UNKNOWN),
        ("409 Conflict", ovo.OutcomeUnknown, ovo.Outcome.UNKNOWN),
        ("400 Bad Request", ovo.Rejected, ovo.Outcome.NOT_PAID),
        ("429 Too Many Requests", ovo.Rejected, ovo.Outcome.NOT_PAID),
    ],
)
def test_push_408_and_409_are_unknown_other_4xx_rejected(
    fake_doku: FakeFactory, status: str, error: type, outcome: ovo.Outcome
) -> None:
    server = fake_doku("respond", lambda request: http_response(status, b"{}"))
    with ovo.Client(CLIENT_ID, SECRET_KEY, base_url=server.url, proxy=None) as client:
        with pytest.raises(error) as info:
            client.push_payment(new_invoice(), 10000, PAY_CASH)
    assert info.value.outcome is outcome
    assert len(server.requests) == 1


def reconciling(sandbox: Sandbox, timeout: float = 0.3) -> ovo.Client:
    return ovo.Client(
        CLIENT_ID, SECRET_KEY, base_url=sandbox.url, proxy=None, timeout=timeout,
        reconcile=(0, 20),
    )


def test_reconcile_turns_a_late_payment_into_paid(own_sandbox: Sandbox) -> None:
    invoice = new_invoice()
    with reconciling(own_sandbox) as client:
        results: List[ovo.Payment] = []
        pusher = threading.Thread(
            target=lambda: results.append(client.push_payment(invoice, 15000, MANUAL))
        )
        pusher.start()
        # The client gave up on the push (0.3 s); the first check says PENDING; then the
        # customer pays in the app.
        assert wait_until(lambda: own_sandbox.stats()["status_requests"] >= 1, 20)
        paying = {"invoice_number": invoice, "method": "cash"}
        assert own_sandbox.control("/simulator/pay", paying)[0] == 200
        pusher.join(30)
    # Returned, not raised: DOKU answered through the status check.
    (payment,) = results
    assert payment.outcome is ovo.Outcome.PAID and payment.paid
    assert payment.result is ovo.Result.OUTCOME_UNKNOWN  # the push itself got no answer
    check = payment.last_check
    assert check is not None and check.kind is ovo.Kind.STATUS_CHECK
    assert check.outcome is ovo.Outcome.PAID and check.check_amount == 15000
    assert payment.transaction_status == "SUCCESS"  # status fields fall through to the check
    stats = own_sandbox.stats()
    assert stats["payment_requests"] == 1, "never pushed again"
    assert stats["status_requests"] >= 2


def test_reconcile_through_the_future(own_sandbox: Sandbox) -> None:
    # This wallet pays, but its push never gets an answer: only the status check can tell.
    with reconciling(own_sandbox) as client:
        payment = client.push_payment_async(new_invoice(), 5000, PAYS_SILENTLY).result(timeout=30)
    assert payment.outcome is ovo.Outcome.PAID
    assert payment.last_check is not None and payment.last_check.transaction_status == "SUCCESS"


def test_reconcile_settings_are_checked_by_libovo() -> None:
    for bad in [(30, 10), (0, -1), (-1, 10), (0, 86401 * 1000)]:
        with pytest.raises(ovo.InvalidArgument) as info:
            ovo.Client(CLIENT_ID, SECRET_KEY, reconcile=bad)
        assert info.value.field == "reconcile", bad
    with pytest.raises(ovo.ArgumentTypeError) as type_info:
        ovo.Client(CLIENT_ID, SECRET_KEY, reconcile=60)  # type: ignore[arg-type]
    assert type_info.value.field == "reconcile"
    ovo.Client(CLIENT_ID, SECRET_KEY, reconcile=(60, 600), status_timeout=5).close()
    ovo.Client(CLIENT_ID, SECRET_KEY, reconcile=(0, 0)).close()  # 0: off, as in the C ABI
    with pytest.raises(ovo.InvalidArgument) as timeout_info:
        ovo.Client(CLIENT_ID, SECRET_KEY, status_timeout=0)
    assert timeout_info.value.field == "status_timeout"


def test_an_unsettled_invoice_is_refused_until_a_status_check_settles_it(
    own_sandbox: Sandbox,
) -> None:
    invoice = new_invoice()
    with ovo.Client(
        CLIENT_ID, SECRET_KEY, base_url=own_sandbox.url, proxy=None, timeout=0.3
    ) as client:
        with pytest.raises(ovo.OutcomeUnknown) as first:
            client.push_payment(invoice, 9000, MANUAL)
        assert not isinstance(first.value, ovo.Unsettled)
        with pytest.raises(ovo.Unsettled) as refused:
            client.push_payment(invoice, 9000, MANUAL)
        err = refused.value
        assert isinstance(err, ovo.OutcomeUnknown) and err.outcome is ovo.Outcome.UNKNOWN
        assert err.payment is not None and err.payment.request_id is None  # nothing sent
        assert "status" in err.message
        assert own_sandbox.stats()["payment_requests"] == 1
        assert own_sandbox.control("/simulator/decline", {"invoice_number": invoice})[0] == 200
        assert client.check_status(invoice).outcome is ovo.Outcome.NOT_PAID
        # Settled: libovo lets the push through; DOKU itself refuses a used invoice (40).
        with pytest.raises(ovo.OutcomeUnknown) as again:
            client.push_payment(invoice, 9000, MANUAL)
        assert again.value.payment is not None and again.value.payment.response_code == "40"
    assert own_sandbox.stats()["payment_requests"] == 2


def test_a_second_push_while_one_is_in_flight_is_refused_with_nothing_sent(
    own_sandbox: Sandbox,
) -> None:
    invoice = new_invoice()
    with ovo.Client(CLIENT_ID, SECRET_KEY, base_url=own_sandbox.url, proxy=None) as client:
        first = client.push_payment_async(invoice, 8000, MANUAL)
        assert wait_until(lambda: own_sandbox.held(invoice))
        with pytest.raises(ovo.InFlight) as blocking:
            client.push_payment(invoice, 8000, MANUAL)
        assert blocking.value.outcome is ovo.Outcome.UNKNOWN
        assert blocking.value.payment is not None and blocking.value.payment.request_id is None
        assert blocking.value.payment.request_invoice_number == invoice
        # An async refusal arrives through the future.
        second = client.push_payment_async(invoice, 8000, MANUAL)
        assert isinstance(second.exception(timeout=10), ovo.InFlight)
        assert own_sandbox.stats()["payment_requests"] == 1
        assert own_sandbox.control("/simulator/decline", {"invoice_number": invoice})[0] == 200
        declined = first.result(timeout=30)
    assert declined.outcome is ovo.Outcome.NOT_PAID and declined.response_code == "17"
