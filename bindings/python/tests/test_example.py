"""examples/python/pay.py runs against the sandbox."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import List

import pytest

from conftest import (
    CLIENT_ID,
    DECLINE,
    MANUAL,
    NEVER_ANSWERS,
    PAY_CASH,
    PAYS_SILENTLY,
    REPO,
    SECRET_KEY,
    SRC,
    Sandbox,
    new_invoice,
    wait_until,
)

EXAMPLE = REPO / "examples" / "python" / "pay.py"


def example_command(*args: str, secret: str = SECRET_KEY) -> "tuple[List[str], dict]":
    env = dict(os.environ, OVO_CLIENT_ID=CLIENT_ID, OVO_SECRET_KEY=secret, NO_PROXY="127.0.0.1")
    env["PYTHONPATH"] = str(SRC) + os.pathsep + env.get("PYTHONPATH", "")
    return [sys.executable, str(EXAMPLE), *args], env


def run_example(*args: str, secret: str = SECRET_KEY) -> subprocess.CompletedProcess:
    argv, env = example_command(*args, secret=secret)
    return subprocess.run(argv, env=env, capture_output=True, text=True, timeout=60)


@pytest.mark.parametrize(
    "wallet, status, word",
    [(PAY_CASH, 0, "PAID"), (DECLINE, 1, "NOT PAID"), (NEVER_ANSWERS, 2, "UNKNOWN")],
)
def test_example(sandbox: Sandbox, wallet: str, status: int, word: str) -> None:
    proc = run_example(new_invoice(), "10000", wallet, "--base-url", sandbox.url)
    assert proc.returncode == status, proc.stderr
    assert word in proc.stderr


def test_example_settles_an_unknown_with_a_status_check(sandbox: Sandbox) -> None:
    # This wallet pays, but the push never gets an answer: the client gives up after 0.5 s.
    proc = run_example(
        new_invoice(), "10000", PAYS_SILENTLY, "--base-url", sandbox.url, "--timeout", "0.5"
    )
    assert proc.returncode == 0, proc.stderr
    assert "outcome unknown" in proc.stderr and "(status check: SUCCESS)" in proc.stderr


def test_example_rejected(sandbox: Sandbox) -> None:
    proc = run_example(new_invoice(), "10000", PAY_CASH, "--base-url", sandbox.url, secret="SK-x")
    assert proc.returncode == 1 and "rejected" in proc.stderr
    assert "SK-x" not in proc.stderr


def test_example_bad_amount(sandbox: Sandbox) -> None:
    proc = run_example(new_invoice(), "0", PAY_CASH, "--base-url", sandbox.url)
    assert proc.returncode == 3 and "order.amount" in proc.stderr


def test_example_usage_errors_exit_3(tmp_path: Path) -> None:
    for args in (["--settle"], ["--journal", str(tmp_path / "j.db"), "--settle", "INV-1"],
                 ["INV-1", "10000"], ["INV-1", "ten", PAY_CASH]):  # fmt: skip
        proc = run_example(*args)
        assert proc.returncode == 3, (args, proc.stderr)


@pytest.mark.parametrize(
    "wallet, status, first, again",
    [(PAY_CASH, 0, "PAID invoice=", "PAID already"),
     (DECLINE, 1, "NOT PAID invoice=", "new invoice number")],
)  # fmt: skip
def test_example_journal_pushes_an_invoice_once_across_runs(
    sandbox: Sandbox, tmp_path: Path, wallet: str, status: int, first: str, again: str
) -> None:
    invoice, journal = new_invoice(), str(tmp_path / "pos.db")
    args = (invoice, "10000", wallet, "--base-url", sandbox.url, "--journal", journal)
    proc = run_example(*args)
    assert proc.returncode == status and first in proc.stderr, proc.stderr
    sent = sandbox.stats()["payment_requests"]
    proc = run_example(*args)
    assert proc.returncode == status and again in proc.stderr, proc.stderr
    assert sandbox.stats()["payment_requests"] == sent, "the second run sent nothing"


def test_example_a_run_killed_mid_wait_is_settled_by_the_next(
    own_sandbox: Sandbox, tmp_path: Path
) -> None:
    invoice, journal = new_invoice(), str(tmp_path / "pos.db")
    common = ("--base-url", own_sandbox.url, "--journal", journal)
    argv, env = example_command(invoice, "20000", MANUAL, *common)
    run = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        assert wait_until(lambda: own_sandbox.held(invoice) or run.poll() is not None, 30)
        assert run.poll() is None, run.communicate()
        run.send_signal(signal.SIGKILL)
    finally:
        run.communicate(timeout=30)
    assert run.returncode == -signal.SIGKILL
    # The push is open in the journal: a new run refuses it, settles it (still pending).
    proc = run_example(invoice, "20000", MANUAL, *common)
    assert proc.returncode == 2 and "open (journal: SENDING)" in proc.stderr, proc.stderr
    assert f"UNKNOWN invoice={invoice} (status check: PENDING)" in proc.stderr
    proc = run_example("--settle", *common)
    assert proc.returncode == 2 and f"UNKNOWN invoice={invoice}" in proc.stderr, proc.stderr
    paying = {"invoice_number": invoice, "method": "cash"}
    assert own_sandbox.control("/simulator/pay", paying)[0] == 200
    proc = run_example("--settle", *common)
    assert proc.returncode == 0, proc.stderr
    assert f"PAID invoice={invoice} (status check: SUCCESS)" in proc.stderr
    proc = run_example("--settle", *common)
    assert proc.returncode == 0 and "nothing open" in proc.stderr
    proc = run_example(invoice, "20000", MANUAL, *common)
    assert proc.returncode == 0 and "PAID already" in proc.stderr
    assert own_sandbox.stats()["payment_requests"] == 1
