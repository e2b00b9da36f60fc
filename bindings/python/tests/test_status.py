"""Client.check_status: every status mapping, the fields, not found, refusals."""

from __future__ import annotations

import json
from typing import Callable, Optional

import pytest

import ovo
from conftest import (
    CLIENT_ID,
    PAY_CASH,
    SECRET_KEY,
    FakeDoku,
    Sandbox,
    http_response,
    new_invoice,
)

FakeFactory = Callable[..., FakeDoku]


def status_body(invoice: str, status: Optional[str], amount: object = '"10000.00"') -> bytes:
    """A Check Status answer as DOKU documents it (``amount`` is raw JSON)."""
    return (
        '{"order":{"invoice_number":%s,"amount":%s},'
        '"transaction":{"status":%s,"date":"2021-01-15T03:04:05Z","original_request_id":"RID-1"},'
        '"service":{"id":"EMONEY"},"acquirer":{"id":"OVO"},"channel":{"id":"EMONEY_OVO"},'
        '"ovo_payment":{"response_code":"00"}}'
        % (json.dumps(invoice), amount, json.dumps(status))
    ).encode()


def check(fake_doku: FakeFactory, invoice: str, status: str, body: bytes) -> ovo.Payment:
    server = fake_doku("respond", lambda request: http_response(status, body))
    with ovo.Client(CLIENT_ID, SECRET_KEY, base_url=server.url, proxy=None) as client:
        payment = client.check_status(invoice)
    request = server.requests[0]
    assert request.startswith(b"GET /orders/v1/status/%s HTTP/1.1\r\n" % invoice.encode())
    return payment


@pytest.mark.parametrize(
    "status, outcome",
    [
        ("SUCCESS", ovo.Outcome.PAID),
        ("FAILED", ovo.Outcome.NOT_PAID),
        ("EXPIRED", ovo.Outcome.NOT_PAID),
        ("REFUNDED", ovo.Outcome.REFUNDED),
        ("TIMEOUT", ovo.Outcome.UNKNOWN),
        ("PENDING", ovo.Outcome.UNKNOWN),
        ("REDIRECT", ovo.Outcome.UNKNOWN),
        (None, ovo.Outcome.UNKNOWN),
    ],
)
def test_every_status_maps_to_its_outcome(
    fake_doku: FakeFactory, status: Optional[str], outcome: ovo.Outcome
) -> None:
    invoice = new_invoice()
    p = check(fake_doku, invoice, "200 OK", status_body(invoice, status))
    assert p.result is ovo.Result.OK and p.outcome is outcome
    assert p.kind is ovo.Kind.STATUS_CHECK
    assert p.transaction_status == status
    assert p.transaction_date == "2021-01-15T03:04:05Z"
    assert p.original_request_id == "RID-1"
    assert (p.service_id, p.acquirer_id, p.channel_id) == ("EMONEY", "OVO", "EMONEY_OVO")
    assert p.check_amount == 10000 and p.check_invoice_number == invoice
    assert p.check_response_code == "00"
    assert p.request_invoice_number == invoice
    assert not p.not_found and not p.cancelled and p.last_check is None
    assert p.http_status == 200 and p.request_id is not None
    # Push fields stay empty on a status check.
    assert p.status is None and p.amount is None and p.response_code is None


def test_refunded_is_not_paid_now(fake_doku: FakeFactory) -> None:
    invoice = new_invoice()
    p = check(fake_doku, invoice, "200 OK", status_body(invoice, "REFUNDED"))
    assert p.outcome is ovo.Outcome.REFUNDED and not p.paid


@pytest.mark.parametrize("amount", ["10000", "10000.0", '"10000"', '"10000.00"'])
def test_amounts_come_as_numbers_or_strings(fake_doku: FakeFactory, amount: str) -> None:
    invoice = new_invoice()
    p = check(fake_doku, invoice, "200 OK", status_body(invoice, "SUCCESS", amount))
    assert p.check_amount == 10000 and isinstance(p.check_amount, int)


@pytest.mark.parametrize(
    "status, body",
    [
        ("404 Not Found", b'{"error":{"code":"not_found","message":"Transaction not found"}}'),
        ("404 Not Found", b"<html>nope</html>"),
        ("200 OK", b'{"error":{"message":"Transaction Not Found"}}'),
    ],
)
def test_not_found_is_unknown_never_not_paid(
    fake_doku: FakeFactory, status: str, body: bytes
) -> None:
    p = check(fake_doku, new_invoice(), status, body)
    assert p.result is ovo.Result.OK and p.not_found
    assert p.outcome is ovo.Outcome.UNKNOWN


@pytest.mark.parametrize(
    "status, body, error",
    [
        ("401 Unauthorized", b'{"error":{"message":"Invalid Header Signature"}}', ovo.Rejected),
        ("400 Bad Request", b"{}", ovo.Rejected),
        ("503 Service Unavailable", b"", ovo.OutcomeUnknown),
        ("302 Found", b"", ovo.OutcomeUnknown),
        ("200 OK", b"not json", ovo.OutcomeUnknown),
    ],
)
def test_refusals_and_bad_answers_raise_with_an_unknown_outcome(
    fake_doku: FakeFactory, status: str, body: bytes, error: type
) -> None:
    server = fake_doku("respond", lambda request: http_response(status, body))
    with ovo.Client(CLIENT_ID, SECRET_KEY, base_url=server.url, proxy=None) as client:
        with pytest.raises(error) as info:
            client.check_status(new_invoice())
    err = info.value
    # A refused or unreadable check tells nothing about the payment: never "not paid".
    assert err.outcome is ovo.Outcome.UNKNOWN
    assert err.payment is not None and err.payment.kind is ovo.Kind.STATUS_CHECK
    assert err.message


def test_an_answer_for_another_invoice_is_unknown(fake_doku: FakeFactory) -> None:
    body = status_body("OTHER-INVOICE", "SUCCESS")
    with pytest.raises(ovo.OutcomeUnknown) as info:
        check(fake_doku, new_invoice(), "200 OK", body)
    assert info.value.outcome is ovo.Outcome.UNKNOWN


def test_not_sent_and_invalid_invoice(closed_port_url: str) -> None:
    with ovo.Client(CLIENT_ID, SECRET_KEY, base_url=closed_port_url, proxy=None) as client:
        with pytest.raises(ovo.NotSent) as info:
            client.check_status(new_invoice())
        assert info.value.outcome is ovo.Outcome.UNKNOWN  # unlike a push: tells nothing
        with pytest.raises(ovo.InvalidArgument) as bad:
            client.check_status("")
        assert bad.value.field == "order.invoice_number"
        with pytest.raises(ovo.ArgumentTypeError):
            client.check_status(None)  # type: ignore[arg-type]


def test_invoice_is_percent_encoded(fake_doku: FakeFactory) -> None:
    server = fake_doku("respond", lambda request: http_response("404 Not Found", b"{}"))
    with ovo.Client(CLIENT_ID, SECRET_KEY, base_url=server.url, proxy=None) as client:
        assert client.check_status("INV 1/A?").not_found
    assert server.requests[0].startswith(b"GET /orders/v1/status/INV%201%2FA%3F HTTP/1.1\r\n")


def test_status_of_a_sandbox_payment(client: ovo.Client, sandbox: Sandbox) -> None:
    invoice = new_invoice()
    paid = client.push_payment(invoice, 12000, PAY_CASH)
    assert paid.outcome is ovo.Outcome.PAID and paid.kind is ovo.Kind.PUSH
    status = client.check_status(invoice)
    assert status.outcome is ovo.Outcome.PAID and status.transaction_status == "SUCCESS"
    assert status.original_request_id == paid.request_id
    assert status.check_amount == 12000
    never = client.check_status(new_invoice())
    assert never.not_found and never.outcome is ovo.Outcome.UNKNOWN
