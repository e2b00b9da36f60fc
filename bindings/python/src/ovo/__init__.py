"""Python binding for libovo: OVO e-wallet push payments through DOKU Jokul.

A thin, typed skin over libovo's C ABI (``include/ovo.h``): validation, checksums and HTTP
all happen in the native library. Quick start::

    import ovo

    with ovo.Client("MCH-...", secret_key) as client:
        payment = client.push_payment("INV-0001", 10_000, "081211111111")
    if payment.outcome is ovo.Outcome.PAID:
        ...  # deliver
    elif payment.outcome is ovo.Outcome.UNKNOWN:
        ...  # check the status with DOKU; never treat as failed

A payment DOKU answered (SUCCESS, FAILED or TIMEOUT) is returned; everything else raises a
subclass of :class:`OvoError` (see :mod:`ovo._errors` for which is which). An UNKNOWN outcome
is settled with ``client.check_status(invoice)`` (or ``Client(reconcile=...)``).
``Client(journal=path)`` records every push in a file first, so that an invoice is pushed at
most once across crashes and processes; ``client.unsettled()`` and ``client.settle(invoice)``
deal with the open ones. libovo's log lines go to ``logging.getLogger("ovo")``.
"""

from __future__ import annotations

from . import _exit  # noqa: F401 - registers what interpreter exit must do
from ._async import PaymentFuture, payments_in_flight
from ._cancel import CancelToken
from ._client import Client
from ._errors import (
    AlreadyPaid,
    ArgumentTypeError,
    BufferTooSmall,
    InFlight,
    InternalError,
    InvalidArgument,
    InvoiceUsed,
    NotSent,
    OutcomeUnknown,
    OvoError,
    PaymentInterrupted,
    Rejected,
    SettleAllInterrupted,
    Unsettled,
)
from ._functions import checksum, describe_code, library_path, library_version
from ._types import WIB, CodeInfo, Environment, Kind, Outcome, Payment, Proxy, Result

__version__ = "0.1.0"

__all__ = [
    "AlreadyPaid",
    "ArgumentTypeError",
    "BufferTooSmall",
    "CancelToken",
    "Client",
    "CodeInfo",
    "Environment",
    "InFlight",
    "InternalError",
    "InvalidArgument",
    "InvoiceUsed",
    "Kind",
    "NotSent",
    "Outcome",
    "OutcomeUnknown",
    "OvoError",
    "Payment",
    "PaymentFuture",
    "PaymentInterrupted",
    "Proxy",
    "Rejected",
    "Result",
    "SettleAllInterrupted",
    "Unsettled",
    "WIB",
    "checksum",
    "describe_code",
    "library_path",
    "library_version",
    "payments_in_flight",
]
