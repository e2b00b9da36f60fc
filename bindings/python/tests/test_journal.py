"""The journal (``Client(journal=...)``) against the sandbox: refusals carrying the stored
payment with nothing sent, ``unsettled()`` / ``settle()`` / ``settle_all()`` across clients and
a killed process, refused files left unchanged, and no secret key in the file."""

from __future__ import annotations

import gc
import json
import os
import pickle
import signal
import sqlite3
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Dict, Iterator, List

import pytest

import ovo
from conftest import (
    CLIENT_ID,
    DECLINE,
    MANUAL,
    PAY_CASH,
    SECRET_KEY,
    FakeDoku,
    Sandbox,
    http_response,
    new_invoice,
    python_env,
    wait_until,
)

FakeFactory = Callable[..., FakeDoku]


@pytest.fixture
def journal(tmp_path: Path) -> Iterator[Path]:
    """A journal path in a fresh folder; afterwards every file there is scanned for the key."""
    path = tmp_path / "pos.db"
    yield path
    for name in os.listdir(tmp_path):
        assert not secrets_in((tmp_path / name).read_bytes()), name


# The key, JSON-escaped copies and long prefixes of it (libovo redacts all of them).
SECRETS = [
    SECRET_KEY.encode(),
    SECRET_KEY.replace("-", "\\u002d").encode(),
    SECRET_KEY[:8].encode(),
    SECRET_KEY[3:].encode(),
]


def secrets_in(data: bytes) -> List[bytes]:
    return [s for s in SECRETS if s in data]


def journal_bytes(path: Path) -> bytes:
    """The journal and its ``-wal`` / ``-shm`` companions, as one byte string."""
    return b"".join(
        Path(str(path) + suffix).read_bytes()
        for suffix in ("", "-wal", "-shm")
        if Path(str(path) + suffix).exists()
    )


def on_journal(sandbox: Sandbox, journal: Path, **kwargs: object) -> ovo.Client:
    return ovo.Client(
        CLIENT_ID, SECRET_KEY, base_url=sandbox.url, proxy=None, journal=journal, **kwargs
    )


def requests(sandbox: Sandbox) -> Dict[str, int]:
    stats = sandbox.stats()
    return {k: stats[k] for k in ("payment_requests", "status_requests")}


def customer_pays(sandbox: Sandbox, invoice: str, method: str = "cash") -> None:
    paying = {"invoice_number": invoice, "method": method}
    assert sandbox.control("/simulator/pay", paying)[0] == 200


def customer_declines(sandbox: Sandbox, invoice: str) -> None:
    assert sandbox.control("/simulator/decline", {"invoice_number": invoice})[0] == 200


def assert_utc_times(p: ovo.Payment) -> None:
    created, updated = p.journal_created_at, p.journal_updated_at
    assert isinstance(created, datetime) and isinstance(updated, datetime)
    assert created.tzinfo is timezone.utc and created <= updated
    assert abs((datetime.now(timezone.utc) - created).total_seconds()) < 600


def test_a_paid_invoice_pushed_again_is_already_paid_with_the_stored_payment(
    sandbox: Sandbox, journal: Path
) -> None:
    invoice = new_invoice()
    with on_journal(sandbox, journal) as client:
        paid = client.push_payment(invoice, 12500, PAY_CASH)
        assert paid.outcome is ovo.Outcome.PAID
        before = requests(sandbox)
        with pytest.raises(ovo.AlreadyPaid) as info:
            client.push_payment(invoice, 12500, PAY_CASH)
        # An async push is refused the same way, through its future.
        refused_async = client.push_payment_async(invoice, 12500, PAY_CASH).exception(10)
    # A second client on the file (another lane) is refused too.
    with on_journal(sandbox, journal) as lane2:
        with pytest.raises(ovo.AlreadyPaid):
            lane2.push_payment(invoice, 12500, PAY_CASH)
    assert requests(sandbox) == before, "nothing sent"
    err = info.value
    assert err.outcome is ovo.Outcome.PAID and err.result is ovo.Result.ALREADY_PAID
    assert err.field == "order.invoice_number" and "already paid" in err.message
    stored = err.payment
    assert stored is not None and stored.result is ovo.Result.ALREADY_PAID
    assert stored.message == err.message
    assert stored.journal_state == "PAID" and stored.kind is ovo.Kind.PUSH
    assert_utc_times(stored)
    # DOKU's answer as stored: the push that was sent, not a new one.
    assert stored.request_id == paid.request_id
    assert (stored.status, stored.response_code) == ("SUCCESS", "00")
    assert stored.approval_code == paid.approval_code and stored.approval_code
    assert stored.amount == 12500 and stored.invoice_number == invoice
    assert stored.cash_used == paid.cash_used and stored.date == paid.date
    assert stored.request_amount == 12500 and stored.request_ovo_id == PAY_CASH
    assert json.loads(stored.raw_body)["ovo_payment"]["status"] == "SUCCESS"
    assert isinstance(refused_async, ovo.AlreadyPaid)
    assert refused_async.payment is not None and refused_async.payment.journal_state == "PAID"
    # A stored payment pickles with its journal fields.
    copy = pickle.loads(pickle.dumps(stored))
    assert (copy.journal_state, copy.journal_created_at) == ("PAID", stored.journal_created_at)


def test_a_declined_invoice_pushed_again_is_invoice_used(sandbox: Sandbox, journal: Path) -> None:
    invoice = new_invoice()
    with on_journal(sandbox, journal) as client:
        declined = client.push_payment(invoice, 7000, DECLINE)
        assert declined.outcome is ovo.Outcome.NOT_PAID
        before = requests(sandbox)
        with pytest.raises(ovo.InvoiceUsed) as info:
            client.push_payment(invoice, 7000, DECLINE)
        assert requests(sandbox) == before, "nothing sent"
        # Settling a final row gives it back as stored, asking nobody.
        settled = client.settle(invoice)
        assert requests(sandbox) == before
    err = info.value
    assert err.outcome is ovo.Outcome.NOT_PAID and "new invoice number" in err.message
    assert err.payment is not None and err.payment.journal_state == "NOT_PAID"
    assert (err.payment.status, err.payment.response_code) == ("FAILED", "17")
    assert err.payment.request_id == declined.request_id
    assert settled.kind is ovo.Kind.PUSH and settled.outcome is ovo.Outcome.NOT_PAID
    assert settled.journal_state == "NOT_PAID" and settled.result is ovo.Result.OK


def test_a_push_given_up_on_is_unsettled_on_every_client_until_settled(
    own_sandbox: Sandbox, journal: Path
) -> None:
    invoice = new_invoice()
    with on_journal(own_sandbox, journal, timeout=0.3) as client, on_journal(
        own_sandbox, journal
    ) as lane2:
        with pytest.raises(ovo.OutcomeUnknown) as gave_up:
            client.push_payment(invoice, 15000, MANUAL)
        assert gave_up.value.payment is not None
        request_id = gave_up.value.payment.request_id
        for c in (client, lane2):
            (row,) = c.unsettled()
            assert row.request_invoice_number == invoice and row.journal_state == "UNKNOWN"
            assert (row.request_amount, row.request_ovo_id) == (15000, MANUAL)
            assert row.request_id == request_id and row.kind is ovo.Kind.PUSH
            assert row.outcome is ovo.Outcome.UNKNOWN and row.result is ovo.Result.OUTCOME_UNKNOWN
            assert row.message and "check" in row.message
            assert_utc_times(row)
            with pytest.raises(ovo.Unsettled) as refused:
                c.push_payment(invoice, 15000, MANUAL)
            assert refused.value.outcome is ovo.Outcome.UNKNOWN
            assert refused.value.payment is not None
            assert refused.value.payment.journal_state == "UNKNOWN"
        assert requests(own_sandbox) == {"payment_requests": 1, "status_requests": 0}

        # Still pending with DOKU: a result (not an exception), UNKNOWN, still open.
        pending = lane2.settle(invoice)
        assert pending.outcome is ovo.Outcome.UNKNOWN and pending.transaction_status == "PENDING"
        assert [p.request_invoice_number for p in client.unsettled()] == [invoice]

        customer_pays(own_sandbox, invoice, "cash")
        settled = lane2.settle(invoice)
        assert settled.outcome is ovo.Outcome.PAID and settled.kind is ovo.Kind.STATUS_CHECK
        assert settled.transaction_status == "SUCCESS" and settled.check_amount == 15000
        assert settled.original_request_id == request_id
        assert client.unsettled() == [] and lane2.unsettled() == []

        # Now paid on every client; the stored push carries the check that decided it.
        with pytest.raises(ovo.AlreadyPaid) as again:
            client.push_payment(invoice, 15000, MANUAL)
        stored = again.value.payment
        assert stored is not None and stored.journal_state == "PAID"
        assert stored.outcome is ovo.Outcome.PAID and stored.request_id == request_id
        assert stored.last_check is not None
        assert stored.last_check.kind is ovo.Kind.STATUS_CHECK
        assert stored.last_check.transaction_status == "SUCCESS"
        checks = requests(own_sandbox)
        again_settled = client.settle(invoice)  # a final row: as stored, nobody asked
        assert again_settled.kind is ovo.Kind.PUSH and again_settled.outcome is ovo.Outcome.PAID
        assert requests(own_sandbox) == checks
    assert checks == {"payment_requests": 1, "status_requests": 2}


def test_settle_all_settles_every_open_invoice_oldest_first(
    own_sandbox: Sandbox, journal: Path
) -> None:
    invoices = [new_invoice(), new_invoice()]
    with on_journal(own_sandbox, journal, timeout=0.3) as client:
        assert client.settle_all() == []
        for amount, invoice in enumerate(invoices, 1000):
            with pytest.raises(ovo.OutcomeUnknown):
                client.push_payment(invoice, amount, MANUAL)
        assert [p.request_invoice_number for p in client.unsettled()] == invoices
        customer_pays(own_sandbox, invoices[0], "points")
        customer_declines(own_sandbox, invoices[1])
        settled = client.settle_all()
        assert [p.check_invoice_number for p in settled] == invoices
        assert [p.outcome for p in settled] == [ovo.Outcome.PAID, ovo.Outcome.NOT_PAID]
        assert client.unsettled() == []
        with pytest.raises(ovo.AlreadyPaid):
            client.push_payment(invoices[0], 1000, MANUAL)
        with pytest.raises(ovo.InvoiceUsed):
            client.push_payment(invoices[1], 1001, MANUAL)
    assert requests(own_sandbox) == {"payment_requests": 2, "status_requests": 2}


def test_without_a_journal_the_calls_see_this_clients_unknown_pushes(
    own_sandbox: Sandbox,
) -> None:
    invoice = new_invoice()
    with ovo.Client(
        CLIENT_ID, SECRET_KEY, base_url=own_sandbox.url, proxy=None, timeout=0.3
    ) as client, ovo.Client(CLIENT_ID, SECRET_KEY, base_url=own_sandbox.url, proxy=None) as other:
        with pytest.raises(ovo.OutcomeUnknown) as gave_up:
            client.push_payment(invoice, 4000, MANUAL)
        assert gave_up.value.payment is not None
        (row,) = client.unsettled()
        assert row.request_invoice_number == invoice and row.request_amount == 4000
        assert row.request_id == gave_up.value.payment.request_id
        assert row.outcome is ovo.Outcome.UNKNOWN and row.message
        assert (row.journal_state, row.journal_created_at, row.journal_updated_at) == (None,) * 3
        assert other.unsettled() == [], "memory of one client only"
        customer_declines(own_sandbox, invoice)
        (settled,) = client.settle_all()
        assert settled.outcome is ovo.Outcome.NOT_PAID and settled.transaction_status == "FAILED"
        assert client.unsettled() == []
        # An invoice nobody pushed: DOKU does not know it, which is never "not paid".
        unknown = client.settle(new_invoice())
        assert unknown.not_found and unknown.outcome is ovo.Outcome.UNKNOWN
        with pytest.raises(ovo.InvalidArgument) as bad:
            client.settle("")
        assert bad.value.field == "order.invoice_number"
    assert requests(own_sandbox) == {"payment_requests": 1, "status_requests": 2}


def test_a_payment_from_a_list_outlives_the_list(fake_doku: FakeFactory, journal: Path) -> None:
    server = fake_doku("close")  # no answer: every push stays open
    invoices = [new_invoice(), new_invoice()]
    with ovo.Client(CLIENT_ID, SECRET_KEY, base_url=server.url, proxy=None, journal=journal) as c:
        for invoice in invoices:
            with pytest.raises(ovo.OutcomeUnknown):
                c.push_payment(invoice, 3000, PAY_CASH)
        rows = c.unsettled()
    kept = rows[1]  # nothing read from it yet: every field is read below, after the rest went
    del rows
    gc.collect()
    assert kept.request_invoice_number == invoices[1] and kept.journal_state == "UNKNOWN"
    assert kept.message and kept.request_amount == 3000 and kept.last_check is None
    assert pickle.loads(pickle.dumps(kept)).request_invoice_number == invoices[1]


CHILD = """
import os, sys
import ovo
client = ovo.Client(os.environ["CID"], os.environ["KEY"], base_url=os.environ["URL"],
                    proxy=None, journal=os.environ["JOURNAL"])
client.push_payment(os.environ["INVOICE"], 12000, os.environ["WALLET"])
print("the push returned", flush=True)
"""


def test_a_process_killed_while_doku_holds_its_push_is_settled_by_the_next(
    own_sandbox: Sandbox, journal: Path
) -> None:
    invoice = new_invoice()
    env = python_env(
        {"CID": CLIENT_ID, "KEY": SECRET_KEY, "URL": own_sandbox.url, "JOURNAL": str(journal),
         "INVOICE": invoice, "WALLET": MANUAL}
    )  # fmt: skip
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    try:
        held = wait_until(lambda: own_sandbox.held(invoice) or child.poll() is not None, 30)
        assert held and child.poll() is None, child.communicate()
        child.send_signal(signal.SIGKILL)
    finally:
        out, err = child.communicate(timeout=30)
    assert child.returncode == -signal.SIGKILL, (out, err)
    assert b"returned" not in out
    # The customer approves in the app after the POS died.
    customer_pays(own_sandbox, invoice, "cash")

    with on_journal(own_sandbox, journal) as client:
        (row,) = client.unsettled()
        assert row.journal_state == "SENDING" and row.request_invoice_number == invoice
        assert (row.request_amount, row.request_ovo_id) == (12000, MANUAL)
        assert row.request_id and row.http_status is None and row.status is None
        assert_utc_times(row)
        with pytest.raises(ovo.Unsettled):
            client.push_payment(invoice, 12000, MANUAL)
        settled = client.settle(invoice)
        assert settled.outcome is ovo.Outcome.PAID and settled.result is ovo.Result.OK
        assert settled.original_request_id == row.request_id
        assert client.unsettled() == []
        with pytest.raises(ovo.AlreadyPaid) as again:
            client.push_payment(invoice, 12000, MANUAL)
    assert again.value.payment is not None and again.value.payment.journal_state == "PAID"
    assert own_sandbox.stats()["payment_requests"] == 1, "pushed once, by the killed process"


def listing(folder: Path) -> Dict[str, bytes]:
    return {name: (folder / name).read_bytes() for name in sorted(os.listdir(folder))}


def foreign_sqlite(path: Path) -> None:
    db = sqlite3.connect(str(path))
    db.execute("CREATE TABLE sales (id INTEGER PRIMARY KEY, total INTEGER)")
    db.execute("INSERT INTO sales (total) VALUES (12000)")
    db.commit()
    db.close()


@pytest.mark.parametrize(
    "make, reason",
    [
        (lambda p: p.write_bytes(os.urandom(8192)), "not an SQLite database"),
        (lambda p: p.write_text("invoice,amount\nINV-1,10000\n" * 100), "not an SQLite database"),
        (foreign_sqlite, "not a libovo journal"),
    ],
)
def test_a_file_that_is_not_a_journal_is_refused_and_left_unchanged(
    tmp_path: Path, make: Callable[[Path], None], reason: str
) -> None:
    path = tmp_path / "pos.db"
    make(path)
    before = listing(tmp_path)
    with pytest.raises(ovo.InvalidArgument) as info:
        ovo.Client(CLIENT_ID, SECRET_KEY, journal=path)
    assert info.value.field == "journal" and reason in info.value.message
    assert str(tmp_path) not in info.value.message  # messages never quote the path
    assert listing(tmp_path) == before, "byte for byte, no companion files"


def test_journal_paths_and_wrong_ones(tmp_path: Path) -> None:
    # str, bytes and PathLike; a non-UTF-8 name goes to the OS as its bytes (os.fsencode).
    odd = os.fsencode(tmp_path) + b"/pos-\xff.db"
    for name in (str(tmp_path / "a.db"), tmp_path / "b.db", odd, os.fsdecode(odd)):
        ovo.Client(CLIENT_ID, SECRET_KEY, journal=name).close()
    assert sorted(n for n in os.listdir(os.fsencode(tmp_path)) if n.endswith(b".db")) == [
        b"a.db", b"b.db", b"pos-\xff.db",
    ]  # fmt: skip
    with pytest.raises(ovo.InvalidArgument) as missing:
        ovo.Client(CLIENT_ID, SECRET_KEY, journal=tmp_path / "no-such-folder" / "pos.db")
    assert missing.value.field == "journal" and "cannot open or create" in missing.value.message
    for bad, error in [(1, ovo.ArgumentTypeError), ("a\x00b", ovo.InvalidArgument),
                       (b"a\x00b", ovo.InvalidArgument), ("\ud800", ovo.InvalidArgument)]:
        with pytest.raises(error) as info:
            ovo.Client(CLIENT_ID, SECRET_KEY, journal=bad)  # type: ignore[arg-type]
        assert info.value.field == "journal"


def echoing_the_key(request: bytes) -> bytes:
    """A push answer (SUCCESS) that echoes the secret key, raw and JSON-escaped."""
    body = json.loads(request.partition(b"\r\n\r\n")[2])
    answer = {
        "client": body["client"],
        "order": body["order"],
        "ovo_info": {"ovo_id": body["ovo_info"]["ovo_id"], "ovo_account_name": SECRET_KEY},
        "ovo_payment": {"status": "SUCCESS", "response_code": "00", "approval_code": "123456",
                        "date": "20201014162928"},
        "security": {"check_sum": "00"},
    }  # fmt: skip
    escaped = SECRET_KEY.replace("-", "\\u002d")
    text = json.dumps(answer)[:-1] + ', "note": "your key is %s"}' % escaped
    return http_response("200 OK", text.encode())


def test_the_journal_never_holds_the_secret_key_even_when_a_server_echoes_it(
    fake_doku: FakeFactory, journal: Path
) -> None:
    echo = fake_doku("respond", echoing_the_key)
    refuse = fake_doku(
        "respond",
        lambda request: http_response(
            "401 Unauthorized",
            b'{"error":{"message":"bad key %s (%s)"}}'
            % (SECRET_KEY.encode(), SECRET_KEY.replace("-", "\\u002d").encode()),
        ),
    )
    paid_invoice, refused_invoice = new_invoice(), new_invoice()
    with ovo.Client(CLIENT_ID, SECRET_KEY, base_url=echo.url, proxy=None, journal=journal) as c:
        paid = c.push_payment(paid_invoice, 10000, PAY_CASH)
        assert paid.outcome is ovo.Outcome.PAID and b"***" in paid.raw_body
        assert paid.account_name is not None and SECRET_KEY not in paid.account_name
        with pytest.raises(ovo.AlreadyPaid) as stored:
            c.push_payment(paid_invoice, 10000, PAY_CASH)
        assert stored.value.payment is not None
        assert not secrets_in(stored.value.payment.raw_body)
    with ovo.Client(CLIENT_ID, SECRET_KEY, base_url=refuse.url, proxy=None, journal=journal) as c:
        with pytest.raises(ovo.Rejected):
            c.push_payment(refused_invoice, 10000, PAY_CASH)
        open_bytes = journal_bytes(journal)  # while open: the -wal holds the latest rows
    for data in (open_bytes, journal_bytes(journal)):
        assert paid_invoice.encode() in data and refused_invoice.encode() in data  # scan sees
        assert b"***" in data
        assert not secrets_in(data)
