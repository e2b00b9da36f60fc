"""libovo's log hook, routed to logging.getLogger("ovo"): lines, levels, no secrets."""

from __future__ import annotations

import json
import logging
from typing import Callable, Iterator, List

import pytest

import ovo
from ovo import _log
from conftest import (
    CLIENT_ID,
    MANUAL,
    PAY_CASH,
    SECRET_KEY,
    FakeDoku,
    Sandbox,
    http_response,
    new_invoice,
    wait_until,
)


class Lines(logging.Handler):
    """Keeps every record of the "ovo" logger."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: List[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)

    def text(self) -> str:
        return "\n".join(f"{r.levelname} {r.getMessage()}" for r in self.records)

    def has(self, level: int, part: str) -> bool:
        return any(r.levelno == level and part in r.getMessage() for r in self.records)


@pytest.fixture
def lines() -> Iterator[Lines]:
    logger = logging.getLogger("ovo")
    handler = Lines()
    saved = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    yield handler
    logger.removeHandler(handler)
    logger.setLevel(saved)


def test_requests_answers_errors_and_refusals_are_logged_without_secrets(
    lines: Lines, own_sandbox: Sandbox, closed_port_url: str
) -> None:
    invoice = new_invoice()
    with ovo.Client(CLIENT_ID, SECRET_KEY, base_url=own_sandbox.url, proxy=None) as client:
        paid = client.push_payment(invoice, 15000, PAY_CASH)
        client.check_status(invoice)
        held = new_invoice()
        future = client.push_payment_async(held, 5000, MANUAL)
        assert wait_until(lambda: own_sandbox.held(held))
        with pytest.raises(ovo.InFlight):
            client.push_payment(held, 5000, MANUAL)
        future.cancel()
        assert isinstance(future.exception(timeout=10), ovo.OutcomeUnknown)
    with ovo.Client(CLIENT_ID, SECRET_KEY, base_url=closed_port_url, proxy=None) as down:
        with pytest.raises(ovo.NotSent):
            down.push_payment(new_invoice(), 1000, PAY_CASH)
    text = lines.text()
    sending = f"push: sending invoice={invoice} amount=15000 request_id="
    assert lines.has(logging.INFO, sending), text
    assert lines.has(logging.INFO, f"push: invoice={invoice} request_id={paid.request_id} "
                     "result=OK outcome=PAID http=200 status=SUCCESS code=00"), text
    assert lines.has(logging.INFO, "status check: sending"), text
    assert lines.has(logging.INFO, f"status check: invoice={invoice}"), text
    assert lines.has(logging.WARNING, f"push refused: invoice={held} result=IN_FLIGHT"), text
    assert lines.has(logging.WARNING, f"push: invoice={held}"), text  # the cancelled one
    assert lines.has(logging.ERROR, "result=NOT_SENT"), text
    assert all(r.name == "ovo" for r in lines.records)
    secrets = [
        SECRET_KEY,
        SECRET_KEY[:6],
        ovo.checksum(15000, CLIENT_ID, invoice, PAY_CASH, SECRET_KEY),
        PAY_CASH,  # the customer's phone number
        MANUAL,
        "HMACSHA256=",
    ]
    for secret in secrets:
        assert secret not in text, secret


def test_a_key_echoed_by_the_server_is_redacted(
    lines: Lines, fake_doku: Callable[..., FakeDoku]
) -> None:
    escaped = json.dumps(SECRET_KEY).strip('"').replace("-", "\\u002d")
    body = ('{"error":{"message":"bad key %s (%s)"}}' % (SECRET_KEY, escaped)).encode()
    server = fake_doku("respond", lambda request: http_response("400 Bad Request", body))
    with ovo.Client(CLIENT_ID, SECRET_KEY, base_url=server.url, proxy=None) as client:
        with pytest.raises(ovo.Rejected) as info:
            client.push_payment(new_invoice(), 1000, PAY_CASH)
    err = info.value
    assert err.payment is not None and b"***" in err.payment.raw_body
    for text in (err.payment.raw_body.decode(), err.message, lines.text(), repr(err.payment)):
        assert SECRET_KEY not in text and SECRET_KEY[:6] not in text and escaped not in text
    assert lines.has(logging.ERROR, "result=REJECTED"), lines.text()


def test_the_native_level_follows_the_logger(client: ovo.Client, lines: Lines) -> None:
    logger = logging.getLogger("ovo")
    logger.setLevel(logging.WARNING)
    client.push_payment(new_invoice(), 1000, "089900000014")
    # Only WARNING and above cross into Python: a declined push logs nothing then.
    assert _log._synced_level == logging.WARNING
    assert not lines.records
    logger.setLevel(logging.CRITICAL)  # nothing libovo logs is that important: hook off
    client.push_payment(new_invoice(), 1000, "089900000014")
    assert _log._synced_level == logging.CRITICAL and not lines.records
    logger.setLevel(logging.INFO)
    client.push_payment(new_invoice(), 1000, "089900000014")
    assert lines.has(logging.INFO, "push: sending invoice=")
    assert not any(r.levelno == logging.DEBUG for r in lines.records)


def test_a_raising_handler_never_reaches_the_library(
    client: ovo.Client, lines: Lines, capfd: pytest.CaptureFixture[str]
) -> None:
    class Raising(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            raise RuntimeError("handler failed")

    logger = logging.getLogger("ovo")
    raising = Raising()
    logger.addHandler(raising)
    try:
        for _ in range(3):
            payment = client.push_payment(new_invoice(), 1000, "089900000014")
            assert payment.outcome is ovo.Outcome.NOT_PAID
    finally:
        logger.removeHandler(raising)
    out, err = capfd.readouterr()
    assert out == "" and "Exception ignored" not in err and "handler failed" not in err


def test_nothing_is_printed_without_logging_configuration(
    sandbox: Sandbox, closed_port_url: str
) -> None:
    from conftest import run_python

    code = f"""
import ovo
c = ovo.Client({CLIENT_ID!r}, {SECRET_KEY!r}, base_url={sandbox.url!r}, proxy=None)
try:
    c.push_payment("INV-QUIET-1", 1000, "0812")  # refused: an ERROR-level case
except ovo.InvalidArgument:
    pass
c2 = ovo.Client({CLIENT_ID!r}, {SECRET_KEY!r}, base_url={closed_port_url!r}, proxy=None)
try:
    c2.push_payment("INV-QUIET-2", 1000, "081211111111")
except ovo.NotSent:
    pass
"""
    proc = run_python(code)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == "" and proc.stderr == ""
