"""push_payment_async: futures resolved from library threads."""

from __future__ import annotations

import asyncio
import concurrent.futures
import gc
import logging
import threading
from typing import Callable, Dict, List

import pytest

import ovo
from ovo import payments_in_flight
from ovo._managed import live_handles
from conftest import (
    CLIENT_ID,
    DECLINE,
    FAIL_NOW,
    NEVER_ANSWERS,
    PAY_CASH,
    PAY_POINTS,
    SECRET_KEY,
    FakeDoku,
    Sandbox,
    new_invoice,
    run_python,
)


def test_future_resolves_to_a_payment(client: ovo.Client, invoice: str) -> None:
    future = client.push_payment_async(invoice, 10000, PAY_CASH)
    assert isinstance(future, concurrent.futures.Future)
    payment = future.result(timeout=30)
    assert payment.outcome is ovo.Outcome.PAID and payment.invoice_number == invoice


def test_many_concurrent_payments(client: ovo.Client) -> None:
    wallets = {
        PAY_CASH: ovo.Outcome.PAID,
        PAY_POINTS: ovo.Outcome.PAID,
        DECLINE: ovo.Outcome.NOT_PAID,
        FAIL_NOW["14"]: ovo.Outcome.NOT_PAID,
        FAIL_NOW["65"]: ovo.Outcome.NOT_PAID,
    }
    expected: Dict[str, ovo.Outcome] = {}
    futures: Dict["concurrent.futures.Future[ovo.Payment]", str] = {}
    for i in range(200):
        wallet = list(wallets)[i % len(wallets)]
        invoice = new_invoice()
        expected[invoice] = wallets[wallet]
        futures[client.push_payment_async(invoice, 1000 + i, wallet)] = invoice
    done, not_done = concurrent.futures.wait(futures, timeout=60)
    assert not not_done
    for future in done:
        payment = future.result()
        invoice = futures[future]
        assert payment.invoice_number == invoice
        assert payment.outcome is expected[invoice]
    assert payments_in_flight() == 0
    gc.collect()
    assert "ovo_payment" not in live_handles()


def test_asyncio_wrap_future(client: ovo.Client) -> None:
    async def main() -> List[ovo.Payment]:
        return list(
            await asyncio.gather(
                *(
                    asyncio.wrap_future(client.push_payment_async(new_invoice(), 5000, wallet))
                    for wallet in (PAY_CASH, DECLINE, NEVER_ANSWERS)
                )
            )
        )

    paid, declined, unknown = asyncio.run(main())
    assert paid.outcome is ovo.Outcome.PAID
    assert declined.outcome is ovo.Outcome.NOT_PAID
    assert unknown.outcome is ovo.Outcome.UNKNOWN and unknown.status == "TIMEOUT"


def test_errors_arrive_through_the_future(closed_port_url: str, sandbox: Sandbox) -> None:
    with ovo.Client(CLIENT_ID, SECRET_KEY, base_url=closed_port_url, proxy=None) as client:
        future = client.push_payment_async(new_invoice(), 10000, PAY_CASH)
    # The client was closed while the payment was in flight: it still finishes.
    error = future.exception(timeout=30)
    assert isinstance(error, ovo.NotSent)
    assert error.payment is not None and error.payment.outcome is ovo.Outcome.NOT_PAID

    with ovo.Client(CLIENT_ID, "SK-wrong", base_url=sandbox.url, proxy=None) as client:
        future = client.push_payment_async(new_invoice(), 10000, PAY_CASH)
        with pytest.raises(ovo.Rejected) as info:
            future.result(timeout=30)
    assert info.value.payment is not None and info.value.payment.http_status == 401


def test_outcome_unknown_through_the_future(fake_doku: Callable[[str], FakeDoku]) -> None:
    server = fake_doku("500")
    with ovo.Client(CLIENT_ID, SECRET_KEY, base_url=server.url, proxy=None) as client:
        error = client.push_payment_async(new_invoice(), 10000, PAY_CASH).exception(timeout=30)
    assert isinstance(error, ovo.OutcomeUnknown)
    assert error.outcome is ovo.Outcome.UNKNOWN


def test_invalid_arguments_raise_at_once(client: ovo.Client) -> None:
    with pytest.raises(ovo.InvalidArgument) as info:
        client.push_payment_async(new_invoice(), 0, PAY_CASH)
    assert info.value.field == "order.amount"
    with pytest.raises(ovo.InvalidArgument) as info:
        client.push_payment_async("INV\x00", 1, PAY_CASH)
    assert info.value.field == "order.invoice_number"
    assert payments_in_flight() == 0


def test_future_cancel_resolves_with_the_unknown_payment(
    fake_doku: Callable[..., FakeDoku]
) -> None:
    server = fake_doku("hold")
    with ovo.Client(CLIENT_ID, SECRET_KEY, base_url=server.url, proxy=None) as client:
        invoice = new_invoice()
        future = client.push_payment_async(invoice, 10000, PAY_CASH)
        assert isinstance(future, ovo.PaymentFuture) and future.invoice_number == invoice
        assert server.received.wait(30)
        assert future.running()
        assert future.cancel()  # the request was on its way: cancels the wait, keeps the result
        error = future.exception(timeout=30)
    assert isinstance(error, ovo.OutcomeUnknown)
    assert not future.cancelled()  # resolved with the payment, never CancelledError
    assert error.payment is not None and error.payment.cancelled
    assert error.outcome is ovo.Outcome.UNKNOWN
    assert error.payment.request_invoice_number == invoice
    assert "check" in error.message and "status" in error.message
    assert not future.cancel()  # done: nothing left to cancel
    assert payments_in_flight() == 0


def test_raising_done_callback_does_not_reach_c(
    client: ovo.Client, caplog: pytest.LogCaptureFixture
) -> None:
    called = threading.Event()
    threads: List[str] = []

    def callback(f: "concurrent.futures.Future[ovo.Payment]") -> None:
        threads.append(threading.current_thread().name)
        called.set()
        raise RuntimeError("user callback failed")

    with caplog.at_level(logging.ERROR, logger="concurrent.futures"):
        future = client.push_payment_async(new_invoice(), 10000, FAIL_NOW["14"])
        future.add_done_callback(callback)
        assert called.wait(30)
        assert future.result().outcome is ovo.Outcome.NOT_PAID
    # The library keeps working afterwards.
    assert client.push_payment(new_invoice(), 10000, FAIL_NOW["14"]).result is ovo.Result.OK


def test_exit_waits_for_callbacks(sandbox: Sandbox) -> None:
    """Regression: exiting right after an awaited payment used to abort the process.

    A library thread still inside the callback (running asyncio's done-callback) when the
    interpreter finalizes gets pthread_exit from CPython, which aborts inside libovo.
    """
    code = f"""
import asyncio, uuid, ovo
c = ovo.Client({CLIENT_ID!r}, {SECRET_KEY!r}, base_url={sandbox.url!r}, proxy=None)
async def main():
    return await asyncio.wrap_future(c.push_payment_async(uuid.uuid4().hex, 1000, {FAIL_NOW["14"]!r}))
print(asyncio.run(main()).outcome.name)
left_in_flight = [c.push_payment_async(uuid.uuid4().hex, 1000, {PAY_CASH!r}) for _ in range(3)]
"""
    for _ in range(5):
        proc = run_python(code)
        assert proc.returncode == 0, proc.stderr
        assert proc.stdout.strip() == "NOT_PAID"
