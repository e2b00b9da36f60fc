"""Blocking payments: every outcome against the sandbox, every error class."""

from __future__ import annotations

import re
import threading
import uuid
from datetime import timedelta
from typing import Callable, List

import pytest

import ovo
from conftest import (
    CLIENT_ID,
    DECLINE,
    FAIL_NOW,
    MANUAL,
    NEVER_ANSWERS,
    PAY_CASH,
    PAY_POINTS,
    REPO,
    SECRET_KEY,
    FakeDoku,
    Sandbox,
    new_invoice,
    wait_until,
)


def check_answered(payment: ovo.Payment, invoice: str, amount: int, ovo_id: str) -> None:
    assert payment.result is ovo.Result.OK
    assert payment.http_status == 200
    assert payment.request_id is not None and uuid.UUID(payment.request_id).version == 4
    assert payment.client_id == CLIENT_ID
    assert payment.invoice_number == invoice
    assert payment.amount == amount and isinstance(payment.amount, int)
    assert payment.ovo_id == ovo_id
    assert payment.date is not None and payment.date.utcoffset() == timedelta(hours=7)
    for name in ("batch_number", "trace_number", "reference_number", "cash_used",
                 "cash_balance", "points_used", "points_balance", "points_earned"):
        assert isinstance(getattr(payment, name), int), name
    for name in ("merchant_id", "store_code", "mid", "tid", "approval_code", "check_sum"):
        assert isinstance(getattr(payment, name), str), name
    assert payment.raw is not None
    assert payment.raw["order"]["invoice_number"] == invoice
    assert payment.raw_body.startswith(b"{")
    assert payment.response_code_info is not None
    assert payment.response_code_info.code == payment.response_code
    assert payment.response_code_info.known


def test_paid_with_cash(client: ovo.Client, invoice: str) -> None:
    payment = client.push_payment(invoice, 15000, PAY_CASH)
    check_answered(payment, invoice, 15000, PAY_CASH)
    assert payment.outcome is ovo.Outcome.PAID and payment.paid
    assert payment.status == "SUCCESS" and payment.response_code == "00"
    assert payment.cash_used == 15000 and payment.points_used == 0
    assert payment.account_name


def test_paid_with_points(client: ovo.Client, invoice: str) -> None:
    payment = client.push_payment(invoice, 2500, PAY_POINTS)
    check_answered(payment, invoice, 2500, PAY_POINTS)
    assert payment.outcome is ovo.Outcome.PAID
    assert payment.points_used == 2500 and payment.cash_used == 0


def test_declined_is_a_result(client: ovo.Client, invoice: str) -> None:
    payment = client.push_payment(invoice, 10000, DECLINE)
    check_answered(payment, invoice, 10000, DECLINE)
    assert payment.outcome is ovo.Outcome.NOT_PAID and not payment.paid
    assert payment.status == "FAILED" and payment.response_code == "17"
    assert payment.response_code_info is not None
    assert payment.response_code_info.name == "Transaction Decline"


@pytest.mark.parametrize("code", sorted(FAIL_NOW))
def test_failed_codes_are_results(client: ovo.Client, invoice: str, code: str) -> None:
    payment = client.push_payment(invoice, 10000, FAIL_NOW[code])
    assert payment.outcome is ovo.Outcome.NOT_PAID
    assert payment.status == "FAILED" and payment.response_code == code
    assert payment.result is ovo.Result.OK


def test_duplicate_invoice_40_is_unknown_not_failed(client: ovo.Client, invoice: str) -> None:
    # Code 40 says the invoice was used before, and that earlier payment may be paid.
    assert client.push_payment(invoice, 10000, FAIL_NOW["14"]).outcome is ovo.Outcome.NOT_PAID
    with pytest.raises(ovo.OutcomeUnknown) as info:
        client.push_payment(invoice, 10000, PAY_CASH)
    err = info.value
    assert err.outcome is ovo.Outcome.UNKNOWN and "code 40" in err.message
    assert err.payment is not None and err.payment.response_code == "40"
    assert err.payment.status == "FAILED" and err.payment.http_status == 200


def test_timeout_is_unknown_not_failed(client: ovo.Client, invoice: str) -> None:
    payment = client.push_payment(invoice, 10000, NEVER_ANSWERS)
    assert payment.result is ovo.Result.OK
    assert payment.status == "TIMEOUT" and payment.response_code == "68"
    assert payment.outcome is ovo.Outcome.UNKNOWN
    assert not payment.paid


def test_manual_wallet_paid_through_the_control_api(
    client: ovo.Client, sandbox: Sandbox, invoice: str
) -> None:
    future = client.push_payment_async(invoice, 7000, MANUAL)
    # Poll the simulator until the push is pending, then pay it like a customer.
    assert wait_until(
        lambda: sandbox.control("/simulator/pay", {"invoice_number": invoice, "method": "cash"})[0]
        == 200
    )
    payment = future.result(timeout=30)
    assert payment.outcome is ovo.Outcome.PAID
    assert payment.invoice_number == invoice and payment.cash_used == 7000


def test_other_threads_run_while_a_payment_blocks(fake_doku: Callable[[str], FakeDoku]) -> None:
    # The fake server is a Python thread: it can only accept, read and answer while
    # push_payment has released the GIL. An answer (HTTP 500) instead of a timeout proves it.
    server = fake_doku("hold")
    client = ovo.Client(CLIENT_ID, SECRET_KEY, base_url=server.url, proxy=None, timeout=30)
    errors: List[BaseException] = []

    def pay() -> None:
        try:
            client.push_payment(new_invoice(), 10000, PAY_CASH)
        except BaseException as e:  # noqa: B036
            errors.append(e)

    t = threading.Thread(target=pay)
    t.start()
    assert server.received.wait(30)
    ticks = sum(1 for _ in range(10000))  # the main thread runs Python meanwhile
    assert t.is_alive()
    server.release.set()
    t.join(30)
    assert ticks == 10000
    assert len(errors) == 1 and isinstance(errors[0], ovo.OutcomeUnknown)
    assert errors[0].payment is not None and errors[0].payment.http_status == 500
    client.close()


# --- errors -------------------------------------------------------------------------------


def test_rejected_carries_the_partial_payment(sandbox: Sandbox, invoice: str) -> None:
    wrong = "SK-not-the-right-key"
    with ovo.Client(CLIENT_ID, wrong, base_url=sandbox.url, proxy=None) as client:
        with pytest.raises(ovo.Rejected) as info:
            client.push_payment(invoice, 10000, PAY_CASH)
    err = info.value
    assert err.result is ovo.Result.REJECTED and err.field is None
    assert err.outcome is ovo.Outcome.NOT_PAID
    assert err.payment is not None
    assert err.payment.http_status == 401
    assert err.payment.outcome is ovo.Outcome.NOT_PAID
    assert err.payment.request_id is not None
    assert err.payment.raw is not None and "error" in err.payment.raw
    assert err.payment.status is None and err.payment.amount is None
    assert "401" in err.message
    assert wrong not in str(err) and wrong not in repr(err) and wrong not in repr(err.payment)


def test_not_sent(closed_port_url: str, invoice: str) -> None:
    with ovo.Client(CLIENT_ID, SECRET_KEY, base_url=closed_port_url, proxy=None) as client:
        with pytest.raises(ovo.NotSent) as info:
            client.push_payment(invoice, 10000, PAY_CASH)
    err = info.value
    assert err.result is ovo.Result.NOT_SENT
    assert err.payment is not None and err.payment.outcome is ovo.Outcome.NOT_PAID
    assert err.payment.http_status is None and err.payment.raw_body == b""
    assert err.message


@pytest.mark.parametrize("mode", ["close", "500"])
def test_outcome_unknown(fake_doku: Callable[[str], FakeDoku], invoice: str, mode: str) -> None:
    server = fake_doku(mode)
    with ovo.Client(CLIENT_ID, SECRET_KEY, base_url=server.url, proxy=None) as client:
        with pytest.raises(ovo.OutcomeUnknown) as info:
            client.push_payment(invoice, 10000, PAY_CASH)
    err = info.value
    assert server.requests and invoice.encode() in server.requests[0]
    assert SECRET_KEY.encode() not in server.requests[0]
    assert err.result is ovo.Result.OUTCOME_UNKNOWN
    assert err.outcome is ovo.Outcome.UNKNOWN
    assert err.payment is not None and err.payment.outcome is ovo.Outcome.UNKNOWN
    assert err.payment.request_id is not None
    if mode == "500":
        assert err.payment.http_status == 500
        assert err.payment.raw_body == b"<html>internal error</html>"
        assert err.payment.raw is None  # not JSON


def test_outcome_unknown_on_client_timeout(
    fake_doku: Callable[[str], FakeDoku], invoice: str
) -> None:
    server = fake_doku("hold")
    with ovo.Client(
        CLIENT_ID, SECRET_KEY, base_url=server.url, proxy=None, timeout=0.3, connect_timeout=0.3
    ) as client:
        with pytest.raises(ovo.OutcomeUnknown) as info:
            client.push_payment(invoice, 10000, PAY_CASH)
    assert info.value.payment is not None
    assert info.value.payment.outcome is ovo.Outcome.UNKNOWN


@pytest.mark.parametrize(
    "args, field",
    [
        (("", 10000, PAY_CASH), "order.invoice_number"),
        (("I" * 65, 10000, PAY_CASH), "order.invoice_number"),
        (("INV-ü", 10000, PAY_CASH), "order.invoice_number"),
        (("INV-\x00", 10000, PAY_CASH), "order.invoice_number"),
        (("INV-1", 0, PAY_CASH), "order.amount"),
        (("INV-1", 10**12, PAY_CASH), "order.amount"),
        (("INV-1", 2**70, PAY_CASH), "order.amount"),
        (("INV-1", 10000, "0812"), "ovo_info.ovo_id"),
        (("INV-1", 10000, "08121111111x"), "ovo_info.ovo_id"),
    ],
)
def test_invalid_payment_arguments(client: ovo.Client, args: tuple, field: str) -> None:
    with pytest.raises(ovo.InvalidArgument) as info:
        client.push_payment(*args)
    err = info.value
    assert err.field == field and field in err.message
    if err.payment is not None:  # raised by libovo: a partial payment, nothing sent
        assert err.payment.request_id is None
        assert err.payment.outcome is ovo.Outcome.NOT_PAID
        assert err.payment.result is ovo.Result.INVALID_ARGUMENT


@pytest.mark.parametrize(
    "args, field",
    [
        ((None, 10000, PAY_CASH), "order.invoice_number"),
        (("INV-1", None, PAY_CASH), "order.amount"),
        (("INV-1", True, PAY_CASH), "order.amount"),
        (("INV-1", 100.0, PAY_CASH), "order.amount"),
        (("INV-1", 10000, 81211111111), "ovo_info.ovo_id"),
        (("INV-1", 10000, b"081211111111"), "ovo_info.ovo_id"),
    ],
)
def test_wrong_payment_argument_types(client: ovo.Client, args: tuple, field: str) -> None:
    with pytest.raises(ovo.ArgumentTypeError) as info:
        client.push_payment(*args)
    assert info.value.field == field
    with pytest.raises(ovo.ArgumentTypeError):
        client.push_payment_async(*args)


def test_every_result_has_an_exception_class() -> None:
    from ovo._errors import error_class, make_error

    expected = {
        ovo.Result.INVALID_ARGUMENT: (ovo.InvalidArgument, ovo.Outcome.NOT_PAID),
        ovo.Result.BUFFER_TOO_SMALL: (ovo.BufferTooSmall, ovo.Outcome.NOT_PAID),
        ovo.Result.NOT_SENT: (ovo.NotSent, ovo.Outcome.NOT_PAID),
        ovo.Result.OUTCOME_UNKNOWN: (ovo.OutcomeUnknown, ovo.Outcome.UNKNOWN),
        ovo.Result.REJECTED: (ovo.Rejected, ovo.Outcome.NOT_PAID),
        ovo.Result.INTERNAL: (ovo.InternalError, ovo.Outcome.UNKNOWN),
        ovo.Result.IN_FLIGHT: (ovo.InFlight, ovo.Outcome.UNKNOWN),
        ovo.Result.ALREADY_PAID: (ovo.AlreadyPaid, ovo.Outcome.PAID),
        ovo.Result.UNSETTLED: (ovo.Unsettled, ovo.Outcome.UNKNOWN),
        ovo.Result.INVOICE_USED: (ovo.InvoiceUsed, ovo.Outcome.NOT_PAID),
    }
    assert set(expected) == set(ovo.Result) - {ovo.Result.OK}
    for result, (cls, outcome) in expected.items():
        assert error_class(result) is cls
        err = make_error(result, "message")
        assert isinstance(err, ovo.OvoError) and err.result is result and str(err) == "message"
        assert cls.result_code is result
        assert err.outcome is outcome, result
    # Refusals whose earlier push may be paid are unknown outcomes, never failures.
    assert issubclass(ovo.InFlight, ovo.OutcomeUnknown)
    assert issubclass(ovo.Unsettled, ovo.OutcomeUnknown)
    # Unknown and internal results never claim "not paid".
    assert make_error(99, "from a newer library").outcome is ovo.Outcome.UNKNOWN
    # Ctrl-C stays a KeyboardInterrupt: `except Exception` / `except OvoError` never eat it.
    assert issubclass(ovo.PaymentInterrupted, KeyboardInterrupt)
    assert not issubclass(ovo.PaymentInterrupted, Exception)


def test_result_and_outcome_values_match_the_library() -> None:
    from ovo import _ffi

    for result in ovo.Result:
        assert _ffi.ovo_result_name(result.value).decode() == result.name
    for outcome in ovo.Outcome:
        assert _ffi.ovo_outcome_name(outcome.value).decode() == outcome.name
    assert _ffi.ovo_result_name(99) == b"UNKNOWN_RESULT"
    assert [k.value for k in ovo.Kind] == [1, 2]


def test_ffi_constants_match_the_header() -> None:
    """Every OVO_* number _ffi names is the one include/ovo.h gives it; every OVO_FIELD_* of
    the header is named there and read by a Payment attribute of its kind (text or number)."""
    from ovo import _ffi, _payment

    header = (REPO / "include" / "ovo.h").read_text()
    native = {name: int(v) for name, v in re.findall(r"\b(OVO_[A-Z0-9_]+) = (\d+),", header)}
    defines = re.findall(r"^#define (OVO_[A-Z0-9_]+) (\d+)$", header, re.M)
    native.update((name, int(v)) for name, v in defines)
    mirrored = {n: v for n, v in vars(_ffi).items() if n.startswith("OVO_") and isinstance(v, int)}
    assert "OVO_FIELD_DATE" in mirrored and "OVO_RESULT_OK" in mirrored
    for name, value in mirrored.items():
        assert native.get(name) == value, name
    fields = {n: v for n, v in native.items() if n.startswith("OVO_FIELD_")}
    assert len(fields) == 37 and {n: mirrored.get(n) for n in fields} == fields
    # The header's comment above each field says "(text" or "(number".
    documented = re.findall(r"((?://[^\n]*\n\s*)+)OVO_FIELD_[A-Z0-9_]+ = (\d+),", header)
    numbers = {int(v) for comment, v in documented if "(number" in comment}
    assert len(documented) == len(fields) and numbers
    assert sorted(_payment._NUMBER_FIELDS.values()) == sorted(numbers)
    texts = list(_payment._TEXT_FIELDS.values()) + [
        _ffi.OVO_FIELD_DATE, _ffi.OVO_FIELD_JOURNAL_CREATED_AT, _ffi.OVO_FIELD_JOURNAL_UPDATED_AT
    ]
    assert sorted(texts) == sorted(set(fields.values()) - numbers)


def test_payment_is_frozen(client: ovo.Client, invoice: str) -> None:
    payment = client.push_payment(invoice, 10000, FAIL_NOW["14"])
    with pytest.raises(AttributeError):
        payment.outcome = ovo.Outcome.PAID  # type: ignore[misc]
    assert hash(payment) == hash(payment)


def test_request_fields_and_kind(client: ovo.Client, invoice: str) -> None:
    payment = client.push_payment(invoice, 4321, PAY_CASH)
    assert payment.kind is ovo.Kind.PUSH and not payment.cancelled and not payment.not_found
    assert (payment.request_invoice_number, payment.request_amount, payment.request_ovo_id) == (
        invoice,
        4321,
        PAY_CASH,
    )
    assert payment.last_check is None and payment.transaction_status is None


def test_a_payment_behaves_like_plain_data(client: ovo.Client, invoice: str) -> None:
    import copy
    import dataclasses
    import pickle

    payment = client.push_payment(invoice, 10000, FAIL_NOW["14"])
    assert isinstance(payment, ovo.Payment)
    plain = pickle.loads(pickle.dumps(payment))
    assert type(plain) is ovo.Payment
    assert dataclasses.asdict(plain) == dataclasses.asdict(payment)
    assert copy.copy(payment) == plain and hash(copy.copy(payment)) == hash(plain)
    changed = dataclasses.replace(payment, outcome=ovo.Outcome.UNKNOWN)
    assert changed.outcome is ovo.Outcome.UNKNOWN and changed.invoice_number == invoice
    assert payment.outcome is ovo.Outcome.NOT_PAID
    assert payment == rebuilt(payment)
    assert f"invoice_number={invoice!r}" in repr(payment) and SECRET_KEY not in repr(payment)


def rebuilt(payment: ovo.Payment) -> ovo.Payment:
    import dataclasses

    return type(payment)(**{f.name: getattr(payment, f.name) for f in dataclasses.fields(payment)})


def test_fields_read_from_many_threads_at_once(client: ovo.Client, invoice: str) -> None:
    from concurrent.futures import ThreadPoolExecutor

    payments = [client.push_payment(new_invoice(), 1000 + i, PAY_CASH) for i in range(4)]

    def read(p: ovo.Payment) -> tuple:
        return (p.outcome, p.amount, p.cash_used, p.raw and p.raw["order"]["amount"], p.date)

    with ThreadPoolExecutor(8) as pool:
        seen = list(pool.map(read, payments * 8))
    for i, (outcome, amount, cash, raw_amount, date) in enumerate(seen):
        assert outcome is ovo.Outcome.PAID and amount == 1000 + i % 4 == cash == raw_amount
        assert date is not None
