"""examples/python/pay.py runs against the sandbox."""

from __future__ import annotations

import subprocess
import sys

import pytest

from conftest import (
    CLIENT_ID,
    DECLINE,
    NEVER_ANSWERS,
    PAY_CASH,
    PAYS_SILENTLY,
    REPO,
    SECRET_KEY,
    SRC,
    Sandbox,
    new_invoice,
)

EXAMPLE = REPO / "examples" / "python" / "pay.py"


def run_example(*args: str, secret: str = SECRET_KEY) -> subprocess.CompletedProcess:
    import os

    env = dict(os.environ, OVO_CLIENT_ID=CLIENT_ID, OVO_SECRET_KEY=secret, NO_PROXY="127.0.0.1")
    env["PYTHONPATH"] = str(SRC) + os.pathsep + env.get("PYTHONPATH", "")
    return subprocess.run(
        [sys.executable, str(EXAMPLE), *args], env=env, capture_output=True, text=True, timeout=60
    )


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
