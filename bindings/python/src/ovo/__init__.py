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
subclass of :class:`OvoError` (see :mod:`ovo._errors` for which is which).
"""

from __future__ import annotations

from ._client import (
    Client,
    checksum,
    describe_code,
    library_path,
    library_version,
    payments_in_flight,
)
from ._errors import (
    ArgumentTypeError,
    BufferTooSmall,
    InternalError,
    InvalidArgument,
    NotSent,
    OutcomeUnknown,
    OvoError,
    Rejected,
)
from ._types import WIB, CodeInfo, Environment, Outcome, Payment, Proxy, Result

__version__ = "0.1.0"

__all__ = [
    "ArgumentTypeError",
    "BufferTooSmall",
    "Client",
    "CodeInfo",
    "Environment",
    "InternalError",
    "InvalidArgument",
    "NotSent",
    "Outcome",
    "OutcomeUnknown",
    "OvoError",
    "Payment",
    "Proxy",
    "Rejected",
    "Result",
    "WIB",
    "checksum",
    "describe_code",
    "library_path",
    "library_version",
    "payments_in_flight",
]
