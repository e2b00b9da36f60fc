"""Value types: enums, CodeInfo and Payment (plain Python data, no native handles)."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any, Dict, Optional

#: DOKU's time zone for ``ovo_payment.date`` (Western Indonesia Time, UTC+7).
WIB = timezone(timedelta(hours=7), "WIB")


class Result(enum.IntEnum):
    """What a libovo call did (``ovo_result``)."""

    OK = 0
    INVALID_ARGUMENT = 1
    BUFFER_TOO_SMALL = 2
    NOT_SENT = 3
    OUTCOME_UNKNOWN = 4
    REJECTED = 5
    INTERNAL = 6
    IN_FLIGHT = 7
    ALREADY_PAID = 8
    UNSETTLED = 9
    INVOICE_USED = 10


class Outcome(enum.Enum):
    """Whether the customer paid (``ovo_outcome``).

    ``UNKNOWN`` means nobody can say yet (DOKU's TIMEOUT, or no usable answer): check the
    status with DOKU before charging again or giving up. Never treat it as failed.
    """

    UNKNOWN = 0
    PAID = 1
    NOT_PAID = 2
    #: A status check said REFUNDED: the payment was made and then refunded; not paid now.
    REFUNDED = 3


class Kind(enum.Enum):
    """Which request a :class:`Payment` describes (``ovo_kind``)."""

    #: A push payment (``POST /ovo-emoney/v1/payment``), or its refusal.
    PUSH = 1
    #: A status check (``GET /orders/v1/status/{invoice}``, :meth:`ovo.Client.check_status`).
    STATUS_CHECK = 2


class Environment(str, enum.Enum):
    """Which DOKU host to talk to (ignored when ``base_url`` is given)."""

    SANDBOX = "sandbox"
    PRODUCTION = "production"


class Proxy(enum.Enum):
    """Proxy modes that take no URL. Pass a ``str`` to ``Client(proxy=...)`` for a proxy URL."""

    #: Like curl: ``HTTPS_PROXY`` (then ``ALL_PROXY``, ``HTTP_PROXY``) minus ``NO_PROXY``,
    #: read when the client is created. The default.
    FROM_ENVIRONMENT = 0
    #: Connect directly, whatever the environment says (same as ``proxy=None``).
    NONE = 1


@dataclass(frozen=True)
class CodeInfo:
    """What the spec says about one OVO response code."""

    #: The code, e.g. ``"17"``; ``"??"`` when it is not in the spec's table.
    code: str
    #: The spec's name, e.g. ``"Transaction Decline"``.
    name: str
    #: The spec's description.
    description: str
    #: False when the code is not in the spec's table.
    known: bool


@dataclass(frozen=True)
class Payment:
    """The result of one push payment or status check, or a push as the journal holds it.

    Returned for every answer DOKU gave (``SUCCESS``, ``FAILED`` or ``TIMEOUT``); also attached
    as ``error.payment`` to the exception raised when there was no usable answer (or to a
    refusal: the stored payment). Response fields are ``None`` when DOKU did not send them.
    """

    #: PAID, NOT_PAID or UNKNOWN. Decide on this, not on ``status``.
    outcome: Outcome
    #: ``Result.OK`` for a returned payment; the error's result on a partial one.
    result: Result
    #: ``ovo_payment.status``: ``"SUCCESS"``, ``"FAILED"`` or ``"TIMEOUT"``.
    status: Optional[str]
    #: ``ovo_payment.response_code``, e.g. ``"00"`` or ``"17"``.
    response_code: Optional[str]
    #: The spec's text for ``response_code``.
    response_code_info: Optional[CodeInfo]
    #: The ``Request-Id`` sent (a UUID), or ``None`` when nothing was sent.
    request_id: Optional[str]
    #: The HTTP status of DOKU's answer, or ``None`` when no answer came.
    http_status: Optional[int]
    client_id: Optional[str] = None
    invoice_number: Optional[str] = None
    #: ``order.amount`` in whole rupiah.
    amount: Optional[int] = None
    ovo_id: Optional[str] = None
    account_name: Optional[str] = None
    merchant_id: Optional[str] = None
    store_code: Optional[str] = None
    mid: Optional[str] = None
    tid: Optional[str] = None
    #: ``ovo_payment.date`` as an aware datetime in UTC+7 (``None`` if absent or unreadable;
    #: the text is still in ``raw``).
    date: Optional[datetime] = None
    batch_number: Optional[int] = None
    trace_number: Optional[int] = None
    reference_number: Optional[int] = None
    approval_code: Optional[str] = None
    cash_used: Optional[int] = None
    cash_balance: Optional[int] = None
    points_used: Optional[int] = None
    points_balance: Optional[int] = None
    points_earned: Optional[int] = None
    #: ``security.check_sum`` as DOKU sent it (not verified: DOKU does not document it).
    check_sum: Optional[str] = None
    #: The response body as received (at most 1 MiB; NUL bytes dropped), ``b""`` when none.
    raw_body: bytes = b""
    #: The response body parsed as JSON, or ``None`` when it is empty or not a JSON object.
    raw: Optional[Dict[str, Any]] = field(default=None, compare=False, hash=False)
    #: A push, or a status check (:meth:`ovo.Client.check_status`).
    kind: Kind = Kind.PUSH
    #: True when the wait was cancelled (``Future.cancel()``, a :class:`ovo.CancelToken`,
    #: Ctrl-C): the outcome is then UNKNOWN and the customer may still pay; check the status.
    cancelled: bool = False
    #: A status check found no payment for the invoice (DOKU may lag behind a push): the
    #: outcome stays UNKNOWN, check again later. On a reconciled push, of its last check.
    not_found: bool = False
    #: For a push that libovo reconciled (``Client(reconcile=...)``): its last status check,
    #: whose outcome is this payment's outcome. ``None`` when no check was made.
    last_check: Optional["Payment"] = None
    #: Status check: ``transaction.status`` as DOKU sent it, e.g. ``"SUCCESS"``, ``"PENDING"``
    #: (on a reconciled push, of its last check; so are the status fields below).
    transaction_status: Optional[str] = None
    #: Status check: ``transaction.date`` as DOKU sent it.
    transaction_date: Optional[str] = None
    #: Status check: ``transaction.original_request_id``, the push's ``Request-Id``.
    original_request_id: Optional[str] = None
    #: Status check: ``service.id``, e.g. ``"EMONEY"``.
    service_id: Optional[str] = None
    #: Status check: ``acquirer.id``, e.g. ``"OVO"``.
    acquirer_id: Optional[str] = None
    #: Status check: ``channel.id``, e.g. ``"EMONEY_OVO"``.
    channel_id: Optional[str] = None
    #: Status check: ``order.amount`` in whole rupiah.
    check_amount: Optional[int] = None
    #: Status check: ``order.invoice_number`` (equal to the one asked for).
    check_invoice_number: Optional[str] = None
    #: Status check: ``ovo_payment.response_code`` when DOKU included it.
    check_response_code: Optional[str] = None
    #: The invoice number libovo was given (every payment has it, refusals too).
    request_invoice_number: Optional[str] = None
    #: The amount libovo was given (``None`` for a status check without a known push).
    request_amount: Optional[int] = None
    #: The OVO ID libovo was given (``None`` for a status check without a known push).
    request_ovo_id: Optional[str] = None
    #: libovo's message when ``result`` is not OK: what happened and what to do next (the
    #: message of the exception this payment comes with). ``None`` when the result is OK.
    message: Optional[str] = None
    #: On a payment read from the journal (``Client(journal=...)``: ``unsettled()``, a stored
    #: row from ``settle()``, a refusal such as :class:`ovo.AlreadyPaid`): where the invoice
    #: stands, ``"SENDING"``, ``"UNKNOWN"``, ``"PAID"``, ``"NOT_PAID"``, ``"REFUNDED"``,
    #: ``"NOT_SENT"`` or ``"REJECTED"``. ``None`` otherwise.
    journal_state: Optional[str] = None
    #: When the journal wrote the push, an aware datetime in UTC (millisecond precision).
    journal_created_at: Optional[datetime] = None
    #: When the journal row last changed (UTC).
    journal_updated_at: Optional[datetime] = None

    @property
    def paid(self) -> bool:
        """True only when the customer paid (``outcome is Outcome.PAID``)."""
        return self.outcome is Outcome.PAID

    def __str__(self) -> str:
        """One short line for logs, without the customer's data; ``repr()`` has every field.

        E.g. ``Payment PAID (SUCCESS 00), invoice INV-0001, amount 10000, request-id 1b4e…``.
        """
        answer = f"{self.status} {self.response_code or '-'}" if self.status else self.result.name
        parts = [f"Payment {self.outcome.name} ({answer})"]
        if self.invoice_number is not None:
            parts.append(f"invoice {self.invoice_number}")
        if self.amount is not None:
            parts.append(f"amount {self.amount}")
        parts.append(f"request-id {self.request_id or '-'}")
        return ", ".join(parts)


def parse_date(text: Optional[str]) -> Optional[datetime]:
    """``yyyyMMddHHmmss`` in UTC+7 to an aware datetime; ``None`` when absent or unreadable."""
    if text is None or len(text) != 14 or not (text.isascii() and text.isdigit()):
        return None
    try:
        return datetime.strptime(text, "%Y%m%d%H%M%S").replace(tzinfo=WIB)
    except ValueError:
        return None


def parse_journal_time(text: Optional[str]) -> Optional[datetime]:
    """The journal's ``YYYY-MM-DDTHH:MM:SS.mmmZ`` to an aware UTC datetime; ``None`` when
    absent or unreadable."""
    if text is None or not text.endswith("Z"):
        return None
    try:
        return datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=timezone.utc)
    except ValueError:
        return None
