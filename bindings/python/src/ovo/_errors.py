"""One exception class per non-OK ``ovo_result``, all rooted at :class:`OvoError`.

Which is which:

* A payment DOKU answered is a **result**, never an exception: ``SUCCESS`` (``Outcome.PAID``),
  ``FAILED`` (``Outcome.NOT_PAID``) and ``TIMEOUT`` (``Outcome.UNKNOWN``) all come back as a
  :class:`~ovo.Payment`; so does a status check DOKU answered (found or not found).
* :class:`InvalidArgument`: an argument broke a rule; nothing was sent. ``field`` names it.
  :class:`ArgumentTypeError` (also a ``TypeError``) is the Python-side variant for an argument
  of the wrong type.
* :class:`NotSent`: the request never left this machine. A push: not paid, safe to retry.
* :class:`OutcomeUnknown`: sent, but no usable answer (or a cancelled wait, or DOKU's code 40
  or 68). The customer may have paid: check the status with DOKU before retrying or giving
  up. Never treat it as failed. Its subclasses are refusals with nothing sent while an
  earlier push of the invoice may still be paid: :class:`InFlight` (that push is still
  running on this client) and :class:`Unsettled` (it ended unknown and no status check
  settled it yet).
* :class:`Rejected`: DOKU refused the request (HTTP 4xx). A refused push is not paid.
* :class:`AlreadyPaid`: the journal holds the invoice as paid; nothing sent. Do not charge
  again.
* :class:`InvoiceUsed`: the journal holds this invoice as answered NOT PAID (or refunded), and
  DOKU never takes an invoice number twice; nothing sent. Push again with a new invoice number.

The journal's refusals (:class:`AlreadyPaid`, :class:`Unsettled`, :class:`InvoiceUsed`) carry
the stored payment as ``payment``: its answer's fields, ``request_id`` of the push that was
sent, ``journal_state`` and its ``last_check`` when a status check decided it.
* :class:`InternalError`: a bug in libovo. The outcome is unknown.
* :class:`BufferTooSmall`: cannot happen through this binding; kept for completeness.

Decide on ``error.outcome`` (the payment's, when there is one): a refused status check, or one
that was never sent, tells nothing about the payment, so its outcome stays ``UNKNOWN``.

Every exception carries the native ``message``, the ``result`` code, the ``field`` at fault
(or ``None``) and, for a payment call, the partial ``payment`` (request id, HTTP status, raw
body, ``outcome``).

:class:`PaymentInterrupted` is not an :class:`OvoError`: it is the ``KeyboardInterrupt`` that
Ctrl-C raises during a blocking push, carrying that push's ``payment``.
:class:`SettleAllInterrupted`, its sibling for :meth:`ovo.Client.settle_all`, carries the
``payments`` settled.
"""

from __future__ import annotations

from typing import Dict, List, Optional, Type

from ._types import Outcome, Payment, Result


class OvoError(Exception):
    """Base class of every libovo error."""

    #: The ``ovo_result`` this class stands for.
    result_code: Result = Result.INTERNAL

    def __init__(
        self,
        message: str,
        *,
        field: Optional[str] = None,
        payment: Optional[Payment] = None,
        result: Optional[Result] = None,
    ) -> None:
        super().__init__(message)
        #: The native library's message (never contains the secret key).
        self.message = message
        #: The field that broke a rule, e.g. ``"order.amount"``, else ``None``.
        self.field = field
        #: The partial payment, for errors raised by a payment call.
        self.payment = payment
        #: The native result code.
        self.result = result if result is not None else self.result_code

    @property
    def outcome(self) -> Outcome:
        """Whether the customer paid, as far as is known (the payment's outcome, if any)."""
        if self.payment is not None:
            return self.payment.outcome
        return _OUTCOME_WITHOUT_PAYMENT.get(self.result, Outcome.UNKNOWN)

    def __str__(self) -> str:
        return self.message

    def __repr__(self) -> str:
        extra = f", field={self.field!r}" if self.field else ""
        return f"{type(self).__name__}({self.message!r}{extra})"


class InvalidArgument(OvoError, ValueError):
    """An argument broke a rule (``field`` names it). Nothing was sent."""

    result_code = Result.INVALID_ARGUMENT


class ArgumentTypeError(InvalidArgument, TypeError):
    """An argument has the wrong Python type (``field`` names it). Nothing was sent."""


class BufferTooSmall(OvoError):
    """The output buffer was too small (cannot happen through this binding)."""

    result_code = Result.BUFFER_TOO_SMALL


class NotSent(OvoError):
    """The request never left this machine (DNS, connect, TLS, proxy, a cancel before sending).

    A push: not paid, safe to retry. A status check: tells nothing (outcome UNKNOWN).
    """

    result_code = Result.NOT_SENT


class OutcomeUnknown(OvoError):
    """Sent, but no usable answer came back. The customer may have paid: check with DOKU.

    Also a cancelled wait (``payment.cancelled``) and DOKU's FAILED code 40 (invoice used
    before) or 68 (pending). Check the status (:meth:`ovo.Client.check_status`) before
    charging again; never treat it as failed.
    """

    result_code = Result.OUTCOME_UNKNOWN


class InFlight(OutcomeUnknown):
    """A push of this invoice is already running on this client. Refused, nothing sent.

    That first push decides the payment: wait for it (its outcome is still unknown).
    """

    result_code = Result.IN_FLIGHT


class Unsettled(OutcomeUnknown):
    """An earlier push of this invoice ended unknown and may be paid. Refused, nothing sent.

    Settle it first (:meth:`ovo.Client.settle`, or :meth:`ovo.Client.check_status` without a
    journal): a decided answer settles it. With a journal the push may also be in flight in
    another process, or left ``SENDING`` by one that stopped (``payment.journal_state``).
    """

    result_code = Result.UNSETTLED


class Rejected(OvoError):
    """DOKU refused the request with HTTP 4xx (bad checksum, credentials, fields).

    A refused push is not paid. A refused status check tells nothing (outcome UNKNOWN).
    """

    result_code = Result.REJECTED


class AlreadyPaid(OvoError):
    """The journal holds the invoice as paid (outcome PAID). Refused, nothing sent: do not
    charge again. ``payment`` is the stored payment (``journal_state`` ``"PAID"``)."""

    result_code = Result.ALREADY_PAID


class InvoiceUsed(OvoError):
    """The journal holds this invoice as answered NOT PAID (or refunded); DOKU never takes an
    invoice number twice.

    Refused, nothing sent (outcome NOT_PAID; ``payment`` is the stored one): push again with a
    new invoice number.
    """

    result_code = Result.INVOICE_USED


class InternalError(OvoError):
    """A bug in libovo (a caught panic). The outcome is unknown."""

    result_code = Result.INTERNAL


class PaymentInterrupted(KeyboardInterrupt):
    """Ctrl-C during a blocking :meth:`ovo.Client.push_payment` (a ``KeyboardInterrupt``).

    The native wait was cancelled and the push's ``payment`` is attached: usually UNKNOWN
    (``payment.cancelled``), so the customer may still pay in the OVO app. Check the status
    (:meth:`ovo.Client.check_status`) of ``invoice_number`` before charging again. Also raised
    for Ctrl-C during :meth:`ovo.Client.check_status` (which cannot be cancelled: it comes when
    the check returned, carrying it).
    """

    def __init__(self, message: str, payment: Payment, invoice_number: str) -> None:
        super().__init__(message)
        #: What happened and what to do next (names the invoice).
        self.message = message
        #: The interrupted push (outcome UNKNOWN unless its answer came first).
        self.payment = payment
        #: The invoice that was being pushed.
        self.invoice_number = invoice_number

    @property
    def outcome(self) -> Outcome:
        """The push's outcome: UNKNOWN unless DOKU's answer came before the interrupt."""
        return self.payment.outcome

    def __str__(self) -> str:
        return self.message


class SettleAllInterrupted(KeyboardInterrupt):
    """Ctrl-C during :meth:`ovo.Client.settle_all` (a ``KeyboardInterrupt``).

    A settle cannot be cancelled: it comes when every open invoice was checked (the answers
    recorded), carrying what :meth:`~ovo.Client.settle_all` would have returned as
    ``payments``: read each ``outcome`` (``request_invoice_number`` names its invoice); those
    still UNKNOWN stay open (:meth:`ovo.Client.unsettled`).
    """

    def __init__(self, message: str, payments: List[Payment]) -> None:
        super().__init__(message)
        #: What happened and what to do next.
        self.message = message
        #: The settled payments, in order, as settle_all() returns them.
        self.payments = payments

    def __str__(self) -> str:
        return self.message


#: ``ovo_result`` values by number (a number this binding does not know is absent).
_RESULTS: Dict[int, Result] = {int(r): r for r in Result}

_BY_RESULT: Dict[int, Type[OvoError]] = {
    Result.INVALID_ARGUMENT: InvalidArgument,
    Result.BUFFER_TOO_SMALL: BufferTooSmall,
    Result.NOT_SENT: NotSent,
    Result.OUTCOME_UNKNOWN: OutcomeUnknown,
    Result.REJECTED: Rejected,
    Result.INTERNAL: InternalError,
    Result.IN_FLIGHT: InFlight,
    Result.ALREADY_PAID: AlreadyPaid,
    Result.UNSETTLED: Unsettled,
    Result.INVOICE_USED: InvoiceUsed,
}

# An error without a payment (raised before any native call): what its result says.
# Anything not listed (unknown results included) is UNKNOWN, never "not paid".
_OUTCOME_WITHOUT_PAYMENT: Dict[int, Outcome] = {
    Result.INVALID_ARGUMENT: Outcome.NOT_PAID,
    Result.BUFFER_TOO_SMALL: Outcome.NOT_PAID,
    Result.NOT_SENT: Outcome.NOT_PAID,
    Result.REJECTED: Outcome.NOT_PAID,
    Result.ALREADY_PAID: Outcome.PAID,
    Result.INVOICE_USED: Outcome.NOT_PAID,
}


def error_class(result: int) -> Type[OvoError]:
    """The exception class for a non-OK ``ovo_result`` (unknown codes give OvoError)."""
    return _BY_RESULT.get(result, OvoError)


def make_error(
    result: int,
    message: str,
    field: Optional[str] = None,
    payment: Optional[Payment] = None,
) -> OvoError:
    """The exception for a non-OK ``ovo_result`` (an unknown code gives an :class:`OvoError`)."""
    cls = error_class(result)
    code = _RESULTS.get(result)
    return cls(message, field=field, payment=payment, result=code)

