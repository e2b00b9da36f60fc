"""One exception class per non-OK ``ovo_result``, all rooted at :class:`OvoError`.

Which is which:

* A payment DOKU answered is a **result**, never an exception: ``SUCCESS`` (``Outcome.PAID``),
  ``FAILED`` (``Outcome.NOT_PAID``) and ``TIMEOUT`` (``Outcome.UNKNOWN``) all come back as a
  :class:`~ovo.Payment`.
* :class:`InvalidArgument`: an argument broke a rule; nothing was sent. ``field`` names it.
  :class:`ArgumentTypeError` (also a ``TypeError``) is the Python-side variant for an argument
  of the wrong type.
* :class:`NotSent`: the request never left this machine. Not paid; safe to retry.
* :class:`OutcomeUnknown`: sent, but no usable answer. The customer may have paid: check the
  status with DOKU before retrying or giving up. Never treat it as failed.
* :class:`Rejected`: DOKU refused the request (HTTP 4xx). Not paid.
* :class:`InternalError`: a bug in libovo. The outcome is unknown.
* :class:`BufferTooSmall`: cannot happen through this binding; kept for completeness.

Every exception carries the native ``message``, the ``result`` code, the ``field`` at fault
(or ``None``) and, for a payment call, the partial ``payment`` (request id, HTTP status, raw
body, ``outcome``).
"""

from __future__ import annotations

from typing import Dict, Optional, Type

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
        """Whether the customer paid, as far as is known."""
        if self.payment is not None:
            return self.payment.outcome
        return Outcome.UNKNOWN if self.result in (Result.OUTCOME_UNKNOWN, Result.INTERNAL) else Outcome.NOT_PAID

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
    """The request never left this machine (DNS, connect, TLS, proxy). Not paid; safe to retry."""

    result_code = Result.NOT_SENT


class OutcomeUnknown(OvoError):
    """Sent, but no usable answer came back. The customer may have paid: check with DOKU."""

    result_code = Result.OUTCOME_UNKNOWN


class Rejected(OvoError):
    """DOKU refused the request with HTTP 4xx (bad checksum, credentials, fields). Not paid."""

    result_code = Result.REJECTED


class InternalError(OvoError):
    """A bug in libovo (a caught panic). The outcome is unknown."""

    result_code = Result.INTERNAL


_BY_RESULT: Dict[int, Type[OvoError]] = {
    Result.INVALID_ARGUMENT: InvalidArgument,
    Result.BUFFER_TOO_SMALL: BufferTooSmall,
    Result.NOT_SENT: NotSent,
    Result.OUTCOME_UNKNOWN: OutcomeUnknown,
    Result.REJECTED: Rejected,
    Result.INTERNAL: InternalError,
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
    cls = error_class(result)
    try:
        code: Optional[Result] = Result(result)
    except ValueError:
        code = None
    return cls(message, field=field, payment=payment, result=code)
