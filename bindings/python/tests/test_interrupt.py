"""Ctrl-C during a blocking push, and interpreter exit with payments in flight (child
interpreters, a sandbox of the test's own)."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from typing import Callable

import pytest

import ovo
from conftest import (
    CLIENT_ID,
    MANUAL,
    SECRET_KEY,
    FakeDoku,
    Sandbox,
    http_response,
    new_invoice,
    python_env,
    wait_until,
)

posix_only = pytest.mark.skipif(sys.platform == "win32", reason="sends SIGINT")

CHILD_PUSH = """
import json, logging, sys, time, ovo
logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s %(message)s")
client = ovo.Client({cid!r}, {key!r}, base_url={url!r}, proxy=None)
def push():
    return client.push_payment({invoice!r}, 9000, {wallet!r})
"""

CATCHING = """
try:
    push()
    print(json.dumps({"caught": None}))
except ovo.PaymentInterrupted as e:
    p = e.payment
    # The next push on this thread is not cancelled: the interrupt was for that one only.
    after = client.push_payment({invoice!r} + "-NEXT", 1000, "081211111111").outcome.name
    print(json.dumps({
        "at": time.monotonic(), "keyboard_interrupt": isinstance(e, KeyboardInterrupt),
        "invoice": e.invoice_number, "outcome": p.outcome.name, "cancelled": p.cancelled,
        "result": p.result.name, "message": str(e), "next": after,
    }), flush=True)
"""


def start(code: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", code],
        env=python_env(),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def child_push(sandbox: Sandbox, invoice: str, tail: str) -> str:
    return CHILD_PUSH.format(
        cid=CLIENT_ID, key=SECRET_KEY, url=sandbox.url, invoice=invoice, wallet=MANUAL
    ) + tail


def interrupt_when_held(child: subprocess.Popen, sandbox: Sandbox, invoice: str) -> float:
    assert wait_until(lambda: sandbox.held(invoice), 30), "the push never arrived"
    sent_at = time.monotonic()
    child.send_signal(signal.SIGINT)
    return sent_at


def settle_late(sandbox: Sandbox, invoice: str) -> None:
    """The customer pays after the cashier gave up: the status check shows it."""
    status, _ = sandbox.control("/simulator/pay", {"invoice_number": invoice, "method": "cash"})
    assert status == 200
    with ovo.Client(CLIENT_ID, SECRET_KEY, base_url=sandbox.url, proxy=None) as client:
        assert client.check_status(invoice).outcome is ovo.Outcome.PAID


@posix_only
def test_ctrl_c_cancels_a_blocking_push_within_a_second(own_sandbox: Sandbox) -> None:
    invoice = new_invoice()
    child = start(child_push(own_sandbox, invoice, CATCHING.replace("{invoice!r}", repr(invoice))))
    sent_at = interrupt_when_held(child, own_sandbox, invoice)
    out, err = child.communicate(timeout=30)
    assert child.returncode == 0, err
    seen = json.loads(out)
    assert seen["at"] - sent_at < 1.0, f"interrupted after {seen['at'] - sent_at:.3f} s"
    assert seen["keyboard_interrupt"] and seen["invoice"] == invoice
    assert (seen["outcome"], seen["cancelled"]) == ("UNKNOWN", True)
    assert seen["result"] == "OUTCOME_UNKNOWN" and seen["next"] == "PAID"
    assert invoice in seen["message"] and "check_status" in seen["message"]
    # The binding's WARNING line names the invoice too.
    assert any(invoice in line and line.startswith("WARNING ovo") for line in err.splitlines()), err
    assert SECRET_KEY not in err
    settle_late(own_sandbox, invoice)
    assert own_sandbox.stats()["payment_requests"] == 2  # the interrupted one and the next


@pytest.mark.parametrize("call", ["push_payment", "check_status"])
def test_the_payment_is_owned_before_a_second_ctrl_c_can_raise(
    client: ovo.Client, invoice: str, monkeypatch: pytest.MonkeyPatch, call: str
) -> None:
    """Once the watch ends, SIGINT raises KeyboardInterrupt again wherever the code is: by
    then the payment must be owned (freed with its object, never leaked) and the client no
    longer borrowed. A second Ctrl-C is simulated right there."""
    if signal.getsignal(signal.SIGINT) is not signal.default_int_handler:
        pytest.skip("Python's default SIGINT handler is not in place")
    from ovo import _client
    from ovo._interrupt import watch

    taken: list = []
    real_owned, real_end = _client.owned, watch.end

    def owned(addr: int) -> object:
        taken.append(real_owned(addr))
        return taken[-1]

    def end() -> bool:
        real_end()
        assert len(taken) == 1 and taken[0] is not None, "the payment is not owned yet"
        assert client._borrows == 0, "the client is still borrowed"
        raise KeyboardInterrupt  # what the restored handler does to a Ctrl-C now

    monkeypatch.setattr(_client, "owned", owned)
    monkeypatch.setattr(watch, "end", end)
    with pytest.raises(KeyboardInterrupt):
        if call == "push_payment":
            client.push_payment(invoice, 1000, "089900000014")
        else:
            client.check_status(invoice)
    monkeypatch.undo()
    assert taken[0].request_invoice_number == invoice
    assert client.push_payment(invoice + "-NEXT", 1000, "089900000014").result is ovo.Result.OK


@posix_only
def test_uncaught_ctrl_c_ends_the_program_naming_the_invoice(own_sandbox: Sandbox) -> None:
    invoice = new_invoice()
    child = start(child_push(own_sandbox, invoice, "push()\n"))
    interrupt_when_held(child, own_sandbox, invoice)
    _, err = child.communicate(timeout=30)
    # CPython dies of SIGINT itself only for a plain KeyboardInterrupt; a subclass exits 1.
    assert child.returncode == 1, err
    last = err.strip().splitlines()[-1]
    assert last.startswith("ovo._errors.PaymentInterrupted: push of invoice " + invoice), err
    settle_late(own_sandbox, invoice)


@posix_only
def test_a_custom_sigint_handler_keeps_the_push_going(own_sandbox: Sandbox) -> None:
    invoice = new_invoice()
    tail = """
import signal
seen = []
signal.signal(signal.SIGINT, lambda *a: seen.append("sigint"))
print(json.dumps({"outcome": push().outcome.name, "seen": seen}))
"""
    child = start(child_push(own_sandbox, invoice, tail))
    interrupt_when_held(child, own_sandbox, invoice)
    # The program decides what Ctrl-C means: the push still waits for the customer.
    assert own_sandbox.control("/simulator/decline", {"invoice_number": invoice})[0] == 200
    out, err = child.communicate(timeout=30)
    assert child.returncode == 0, err
    assert json.loads(out) == {"outcome": "NOT_PAID", "seen": ["sigint"]}


@posix_only
def test_ctrl_c_during_a_status_check_comes_when_it_returns(
    fake_doku: Callable[..., FakeDoku]
) -> None:
    server = fake_doku("hold")  # never answers before its release
    invoice = new_invoice()
    code = f"""
import json, logging, ovo
logging.basicConfig(level=logging.DEBUG, format="%(levelname)s %(name)s %(message)s")
client = ovo.Client({CLIENT_ID!r}, {SECRET_KEY!r}, base_url={server.url!r}, proxy=None,
                    status_timeout=1)
try:
    client.check_status({invoice!r})
except ovo.PaymentInterrupted as e:
    print(json.dumps({{"kind": e.payment.kind.name, "outcome": e.outcome.name}}))
"""
    child = start(code)
    assert server.received.wait(30)
    child.send_signal(signal.SIGINT)
    out, err = child.communicate(timeout=30)
    assert child.returncode == 0, err
    assert json.loads(out) == {"kind": "STATUS_CHECK", "outcome": "UNKNOWN"}
    # libovo logged on the interrupted thread: no KeyboardInterrupt escaped into its callback.
    assert "Exception ignored" not in err and "status check: sending" in err, err


@posix_only
@pytest.mark.parametrize("call", ["settle", "settle_all"])
def test_ctrl_c_while_settling_comes_when_it_returns(
    fake_doku: Callable[..., FakeDoku], call: str
) -> None:
    # The push gets no answer (the connection closes): open. The check of it is held.
    def respond(request: bytes) -> bytes:
        if request.startswith(b"GET "):
            server.release.wait(30)
        return b""

    server = fake_doku("respond", respond)
    invoice = new_invoice()
    code = f"""
import json, logging, ovo
logging.basicConfig(level=logging.DEBUG, format="%(levelname)s %(name)s %(message)s")
client = ovo.Client({CLIENT_ID!r}, {SECRET_KEY!r}, base_url={server.url!r}, proxy=None,
                    status_timeout=1)
try:
    client.push_payment({invoice!r}, 1000, "081211111111")
except ovo.OutcomeUnknown:
    pass
try:
    client.{call}({invoice!r}) if {call!r} == "settle" else client.{call}()
except ovo.PaymentInterrupted as e:
    print(json.dumps({{"kind": e.payment.kind.name, "outcome": e.outcome.name}}))
except KeyboardInterrupt as e:
    print(json.dumps({{"message": str(e), "open": len(client.unsettled())}}))
"""
    child = start(code)
    assert wait_until(lambda: any(r.startswith(b"GET ") for r in server.requests), 30)
    child.send_signal(signal.SIGINT)
    out, err = child.communicate(timeout=30)
    assert child.returncode == 0, err
    if call == "settle":
        assert json.loads(out) == {"kind": "STATUS_CHECK", "outcome": "UNKNOWN"}
    else:
        answer = json.loads(out)
        assert answer["open"] == 1 and "1 open invoice(s) checked" in answer["message"]
    assert "Exception ignored" not in err and "status check: sending" in err, err


@posix_only
def test_ctrl_c_during_settle_all_keeps_the_settled_payments(
    fake_doku: Callable[..., FakeDoku]
) -> None:
    # Two pushes get no answer (open). The check of the first answers PAID; the check of the
    # second is held, and Ctrl-C comes then: after the first was settled.
    paid, held = new_invoice(), new_invoice()

    def respond(request: bytes) -> bytes:
        if request.startswith(b"GET ") and paid.encode() in request.split(b"\r\n", 1)[0]:
            body = (
                '{"order":{"invoice_number":%s,"amount":"1000.00"},'
                '"transaction":{"status":"SUCCESS","date":"2021-01-15T03:04:05Z"}}'
                % json.dumps(paid)
            ).encode()
            return http_response("200 OK", body)
        if request.startswith(b"GET "):
            server.release.wait(30)
        return b""

    server = fake_doku("respond", respond)
    code = f"""
import json, ovo
client = ovo.Client({CLIENT_ID!r}, {SECRET_KEY!r}, base_url={server.url!r}, proxy=None,
                    status_timeout=1)
for invoice in ({paid!r}, {held!r}):
    try:
        client.push_payment(invoice, 1000, "081211111111")
    except ovo.OutcomeUnknown:
        pass
try:
    client.settle_all()
except ovo.PaymentInterrupted:
    print(json.dumps({{"caught": "PaymentInterrupted"}}))
except ovo.SettleAllInterrupted as e:
    print(json.dumps({{
        "keyboard_interrupt": isinstance(e, KeyboardInterrupt), "message": str(e),
        "settled": [[p.request_invoice_number, p.outcome.name] for p in e.payments],
        "open": [p.request_invoice_number for p in client.unsettled()],
    }}))
"""
    child = start(code)
    assert wait_until(lambda: sum(r.startswith(b"GET ") for r in server.requests) == 2, 30)
    child.send_signal(signal.SIGINT)
    out, err = child.communicate(timeout=30)
    assert child.returncode == 0, err
    answer = json.loads(out)
    assert answer["keyboard_interrupt"] and "2 open invoice(s) checked" in answer["message"]
    assert answer["settled"] == [[paid, "PAID"], [held, "UNKNOWN"]]
    assert answer["open"] == [held]
    assert "Exception ignored" not in err and SECRET_KEY not in err, err
    assert issubclass(ovo.SettleAllInterrupted, KeyboardInterrupt)
    assert not issubclass(ovo.SettleAllInterrupted, (Exception, ovo.PaymentInterrupted))


def test_exit_cancels_abandoned_waits_and_logs_the_invoices(own_sandbox: Sandbox) -> None:
    invoice = new_invoice()
    code = f"""
import logging, sys, ovo
logging.basicConfig(level=logging.DEBUG, format="%(levelname)s %(name)s %(message)s")
client = ovo.Client({CLIENT_ID!r}, {SECRET_KEY!r}, base_url={own_sandbox.url!r}, proxy=None)
future = client.push_payment_async({invoice!r}, 4000, {MANUAL!r})
sys.stdin.readline()  # until the push is held; then exit without waiting for it
"""
    child = start(code)
    assert wait_until(lambda: own_sandbox.held(invoice), 30)
    # The push is held for 60 s and the client waits up to 90 s: exit must not.
    _, err = child.communicate("\n", timeout=20)
    assert child.returncode == 0, err
    assert "interpreter exit: cancelled the wait of 1 payment(s) in flight" in err, err
    assert invoice in err and SECRET_KEY not in err
    settle_late(own_sandbox, invoice)


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")
def test_a_forked_child_does_not_wait_for_the_parents_payments(own_sandbox: Sandbox) -> None:
    invoice = new_invoice()
    code = f"""
import os, sys, time, ovo
client = ovo.Client({CLIENT_ID!r}, {SECRET_KEY!r}, base_url={own_sandbox.url!r}, proxy=None)
future = client.push_payment_async({invoice!r}, 4000, {MANUAL!r})
sys.stdin.readline()  # until the push is held
pid = os.fork()
if pid == 0:
    sys.exit(0)  # a normal exit: atexit runs, with no libovo thread in this process
_, status = os.waitpid(pid, 0)
print(os.WEXITSTATUS(status), future.cancel())
"""
    child = start(code)
    assert wait_until(lambda: own_sandbox.held(invoice), 30)
    out, err = child.communicate("\n", timeout=30)
    assert child.returncode == 0, err
    assert out.split() == ["0", "True"]


def test_exit_right_after_payments_with_logging_on(sandbox: Sandbox) -> None:
    """Log callbacks and payment callbacks come from library threads: exit must stop both
    before the interpreter finalizes (else the process aborts)."""
    code = f"""
import logging, uuid, ovo
logging.basicConfig(level=logging.DEBUG, format="%(message)s")
c = ovo.Client({CLIENT_ID!r}, {SECRET_KEY!r}, base_url={sandbox.url!r}, proxy=None)
fs = [c.push_payment_async(uuid.uuid4().hex, 1000, "081211111111") for _ in range(20)]
print(fs[0].result(timeout=30).outcome.name)
"""
    for _ in range(3):
        proc = subprocess.run(
            [sys.executable, "-c", code], env=python_env(), capture_output=True, text=True,
            timeout=60,
        )
        assert proc.returncode == 0, proc.stderr
        assert proc.stdout.strip() == "PAID"
        assert "push: sending invoice=" in proc.stderr


def test_the_signal_wakeup_fd_is_restored_after_a_push(client: ovo.Client, invoice: str) -> None:
    reader, writer = socket.socketpair()
    writer.setblocking(False)
    previous = signal.set_wakeup_fd(writer.fileno())
    try:
        assert client.push_payment(invoice, 1000, "089900000014").outcome is ovo.Outcome.NOT_PAID
        assert signal.set_wakeup_fd(writer.fileno()) == writer.fileno()
    finally:
        signal.set_wakeup_fd(previous)
        reader.close()
        writer.close()
