"""No native object outlives its use: live handle counts and RSS over 10,000 calls."""

from __future__ import annotations

import concurrent.futures
import gc
import logging
import os
import socket
import sys
from pathlib import Path
from typing import Callable, Iterator

import pytest

import ovo
from ovo._managed import live_handles
from conftest import CLIENT_ID, FAIL_NOW, PAY_CASH, SECRET_KEY, FakeDoku, new_invoice

CALLS = 10_000


def rss() -> int:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def one_of_each(client: ovo.Client, unreachable: ovo.Client, i: int) -> None:
    ovo.checksum(1000 + i, CLIENT_ID, "INV-%d" % i, PAY_CASH, SECRET_KEY)
    ovo.describe_code("17")
    with pytest.raises(ovo.InvalidArgument):  # error out-parameter
        ovo.checksum(0, CLIENT_ID, "INV", PAY_CASH, SECRET_KEY)
    with pytest.raises(ovo.InvalidArgument):  # payment carrying an error, nothing sent
        client.push_payment("", 1000, PAY_CASH)
    with pytest.raises(ovo.InvalidArgument):  # async refusal: error out-parameter
        client.push_payment_async("", 1000, PAY_CASH)
    with pytest.raises(ovo.NotSent):  # a payment with a request id, connection refused
        unreachable.push_payment("INV-%d" % i, 1000, PAY_CASH)
    with pytest.raises(ovo.InvalidArgument):  # config + error
        ovo.Client(CLIENT_ID, SECRET_KEY, timeout=0)
    ovo.Client(CLIENT_ID, SECRET_KEY).close()  # config + client


@pytest.fixture(autouse=True)
def uncaptured_log_lines() -> Iterator[None]:
    """libovo logs every refusal: its lines still cross into Python (the "ovo" logger wants
    DEBUG, so the native hook is on), but no record is made, so pytest stores none (10,000s of
    stored records would look like a leak)."""
    logger = logging.getLogger("ovo")
    saved = logger.level
    logger.setLevel(logging.DEBUG)
    logging.disable(logging.CRITICAL)
    yield
    logging.disable(logging.NOTSET)
    logger.setLevel(saved)


def unreachable_client() -> ovo.Client:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    closed = "http://127.0.0.1:%d" % s.getsockname()[1]
    s.close()
    return ovo.Client(CLIENT_ID, SECRET_KEY, base_url=closed, proxy=None)


linux_only = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="reads /proc/self/statm"
)


@linux_only
def test_no_leaks_over_10000_calls(client: ovo.Client) -> None:
    baseline = live_handles()
    unreachable = unreachable_client()
    for i in range(1000):  # warm-up: allocator pools, code table, connection pool
        one_of_each(client, unreachable, i)
        if i % 10 == 0:
            client.push_payment(new_invoice(), 1000, FAIL_NOW["14"])
    gc.collect()
    before = rss()
    for i in range(CALLS):
        one_of_each(client, unreachable, i)
        if i % 10 == 0:  # 1,000 answered payments as well
            client.push_payment(new_invoice(), 1000, FAIL_NOW["14"])
    gc.collect()
    grown = rss() - before
    unreachable.close()
    assert live_handles() == baseline
    # Leaking one small object per call would be several MiB; measured growth is ~0.
    assert grown < 2 * 1024 * 1024, f"RSS grew by {grown} bytes"


@linux_only
def test_no_leaks_through_the_callback_path(client: ovo.Client) -> None:
    def batch() -> None:
        futures = [
            client.push_payment_async(new_invoice(), 1000, FAIL_NOW["26"]) for _ in range(50)
        ]
        concurrent.futures.wait(futures, timeout=60)
        assert all(f.result().response_code == "26" for f in futures)

    baseline = live_handles()
    for _ in range(4):  # warm-up: per-thread malloc arenas
        batch()
    gc.collect()
    before = rss()
    for _ in range(20):
        batch()
    gc.collect()
    grown = rss() - before
    assert live_handles() == baseline
    assert grown < 4 * 1024 * 1024, f"RSS grew by {grown} bytes"


@linux_only
def test_no_leaks_through_the_payment_lists(
    fake_doku: Callable[..., FakeDoku], tmp_path: Path
) -> None:
    # Every request to this server gets no answer: pushes and checks end UNKNOWN (still open).
    server = fake_doku("close")
    invoice = new_invoice()
    baseline = live_handles()
    in_memory = ovo.Client(CLIENT_ID, SECRET_KEY, base_url=server.url, proxy=None)
    on_file = ovo.Client(
        CLIENT_ID, SECRET_KEY, base_url=server.url, proxy=None, journal=tmp_path / "pos.db"
    )
    for client in (in_memory, on_file):
        with pytest.raises(ovo.OutcomeUnknown):
            client.push_payment(invoice, 1000, PAY_CASH)

    def round_(i: int) -> None:
        for client in (in_memory, on_file):
            (row,) = client.unsettled()  # a list of one, freed with its payment
            assert row.request_invoice_number == invoice and row.message
        if i % 10 == 0:  # 2,000 checks: one payment and one list of one
            assert in_memory.settle(invoice).outcome is ovo.Outcome.UNKNOWN
            (settled,) = in_memory.settle_all()
            assert settled.outcome is ovo.Outcome.UNKNOWN and settled.check_invoice_number is None

    for i in range(1000):  # warm-up
        round_(i)
    gc.collect()
    before = rss()
    for i in range(CALLS):
        round_(i)
    gc.collect()
    grown = rss() - before
    in_memory.close()
    on_file.close()
    assert live_handles() == baseline
    assert grown < 2 * 1024 * 1024, f"RSS grew by {grown} bytes"
