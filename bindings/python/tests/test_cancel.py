"""Cancelling a wait keeps the payment: Future.cancel(), CancelToken, asyncio cancellation."""

from __future__ import annotations

import asyncio
import threading
import time
from typing import Any, Dict, List, Optional

import pytest

import ovo
from ovo import _async
from conftest import CLIENT_ID, MANUAL, SECRET_KEY, Sandbox, new_invoice, wait_until


def assert_cancelled(err: BaseException, invoice: str) -> ovo.Payment:
    assert isinstance(err, ovo.OutcomeUnknown), repr(err)
    assert err.outcome is ovo.Outcome.UNKNOWN
    payment = err.payment
    assert payment is not None and payment.cancelled
    assert payment.request_invoice_number == invoice and payment.request_id is not None
    assert "may still pay" in err.message and "status" in err.message
    return payment


def pay(sandbox: Sandbox, invoice: str) -> None:
    status, _ = sandbox.control("/simulator/pay", {"invoice_number": invoice, "method": "points"})
    assert status == 200, "still payable after the cashier gave up"


def test_future_cancel_calls_back_within_100_ms_once_and_the_late_payment_shows(
    own_sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    settled: List[Any] = []
    real_settle = _async._settle

    def counting_settle(future: Any, payment: Any, error: Any) -> None:
        settled.append((future, time.monotonic()))
        real_settle(future, payment, error)

    monkeypatch.setattr(_async, "_settle", counting_settle)
    invoice = new_invoice()
    with ovo.Client(CLIENT_ID, SECRET_KEY, base_url=own_sandbox.url, proxy=None) as client:
        future = client.push_payment_async(invoice, 20000, MANUAL)
        assert wait_until(lambda: own_sandbox.held(invoice))
        cancelled_at = time.monotonic()
        assert future.cancel()
        err = future.exception(timeout=5)
        assert err is not None
        assert_cancelled(err, invoice)
        ((who, called_at),) = settled  # exactly once
        assert who is future
        assert called_at - cancelled_at < 0.1, f"{called_at - cancelled_at:.3f} s"
        assert not future.cancel() and not future.cancelled()
        # The customer pays after the cashier gave up; the status check tells the truth.
        pay(own_sandbox, invoice)
        assert client.check_status(invoice).outcome is ovo.Outcome.PAID
    assert len(settled) == 1
    assert own_sandbox.stats()["payment_requests"] == 1


def test_cancel_token_stops_a_blocking_push(own_sandbox: Sandbox) -> None:
    invoice = new_invoice()
    token = ovo.CancelToken()
    errors: List[BaseException] = []

    def push() -> None:
        try:
            client.push_payment(invoice, 7000, MANUAL, cancel=token)
        except BaseException as e:  # noqa: B036
            errors.append(e)

    with ovo.Client(CLIENT_ID, SECRET_KEY, base_url=own_sandbox.url, proxy=None) as client:
        pusher = threading.Thread(target=push)
        pusher.start()
        assert wait_until(lambda: own_sandbox.held(invoice))
        token.cancel()
        pusher.join(10)  # the hold is 60 s and the timeout 90 s: only the cancel ends it
        assert not pusher.is_alive()
        (err,) = errors
        assert_cancelled(err, invoice)
        assert token.cancelled and "cancelled" in repr(token)
        pay(own_sandbox, invoice)
        assert client.check_status(invoice).outcome is ovo.Outcome.PAID
    token.close()


def test_a_cancelled_token_sends_nothing(own_sandbox: Sandbox) -> None:
    with ovo.CancelToken() as token, ovo.Client(
        CLIENT_ID, SECRET_KEY, base_url=own_sandbox.url, proxy=None
    ) as client:
        token.cancel()
        token.cancel()  # idempotent
        with pytest.raises(ovo.NotSent) as info:
            client.push_payment(new_invoice(), 7000, MANUAL, cancel=token)
    assert info.value.payment is not None and info.value.payment.cancelled
    assert own_sandbox.stats()["payment_requests"] == 0


def test_cancel_argument_is_checked(client: ovo.Client) -> None:
    with pytest.raises(ovo.ArgumentTypeError) as info:
        client.push_payment(new_invoice(), 1000, MANUAL, cancel=True)  # type: ignore[arg-type]
    assert info.value.field == "cancel"
    token = ovo.CancelToken()
    token.close()
    with pytest.raises(ovo.InvalidArgument) as closed:
        client.push_payment(new_invoice(), 1000, MANUAL, cancel=token)
    assert closed.value.field == "cancel"


def test_asyncio_cancellation_cancels_the_wait_and_keeps_the_payment(own_sandbox: Sandbox) -> None:
    invoice = new_invoice()
    kept: Dict[str, Optional[BaseException]] = {}

    async def main(client: ovo.Client) -> None:
        future = client.push_payment_async(invoice, 6000, MANUAL)
        task = asyncio.ensure_future(asyncio.wrap_future(future))
        loop = asyncio.get_running_loop()
        assert await loop.run_in_executor(
            None, lambda: wait_until(lambda: own_sandbox.held(invoice))
        )
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        # The concurrent future still resolves, with the cancelled payment.
        try:
            await asyncio.wrap_future(future)
        except ovo.OutcomeUnknown as e:
            kept["error"] = e

    with ovo.Client(CLIENT_ID, SECRET_KEY, base_url=own_sandbox.url, proxy=None) as client:
        asyncio.run(main(client))
    error = kept["error"]
    assert error is not None
    assert_cancelled(error, invoice)
