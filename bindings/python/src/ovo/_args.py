"""Python arguments to C arguments: only what cannot cross the C ABI is checked here.

That is the Python type of an argument, a ``str`` containing ``"\\x00"`` (a C string would end
there) and an ``int`` that does not fit in ``int64_t``. Every rule about the content (lengths,
characters, ranges) is libovo's, which names the field in its own message.
"""

from __future__ import annotations

import math
import os
from typing import Optional, Tuple

from ._errors import ArgumentTypeError, InvalidArgument

# Field names, as the native library spells them in its messages.
F_CLIENT_ID = "client.id"
F_SECRET_KEY = "secret_key"
F_INVOICE_NUMBER = "order.invoice_number"
F_AMOUNT = "order.amount"
F_OVO_ID = "ovo_info.ovo_id"
F_BASE_URL = "base_url"
F_TIMEOUT = "timeout"
F_CONNECT_TIMEOUT = "connect_timeout"
F_STATUS_TIMEOUT = "status_timeout"
F_RECONCILE = "reconcile"
F_CA_FILE = "ca_file"
F_PROXY = "proxy"
F_ENVIRONMENT = "environment"
F_CANCEL = "cancel"
F_JOURNAL = "journal"

_INT64_MIN = -(2**63)
_INT64_MAX = 2**63 - 1
UINT32_MAX = 2**32 - 1


def type_error(field: str, expected: str, value: object) -> ArgumentTypeError:
    """The error for an argument of the wrong Python type."""
    return ArgumentTypeError(
        f"{field}: must be {expected}, not {type(value).__name__}", field=field
    )


def c_string(value: object, field: str) -> bytes:
    """A ``str`` as NUL-terminated UTF-8 for C. The native side judges the content.

    Lone surrogates are passed through (``surrogatepass``) so libovo reports them as invalid
    UTF-8 itself.
    """
    if type(value) is not str:
        if not isinstance(value, str):
            raise type_error(field, "str", value)
        value = str(value)  # a str subclass: plain str
    if "\x00" in value:
        raise InvalidArgument(
            f"{field}: must not contain NUL characters (cannot be passed as a C string)",
            field=field,
        )
    return value.encode("utf-8", "surrogatepass")


def optional_c_string(value: object, field: str) -> Optional[bytes]:
    """``None`` stays NULL; anything else as :func:`c_string`."""
    return None if value is None else c_string(value, field)


def path(value: object, field: str) -> Optional[bytes]:
    """A ``str``, ``bytes`` or ``os.PathLike`` file name for C, encoded as the operating system
    does (``os.fsencode``); ``None`` stays NULL."""
    if value is None:
        return None
    if not isinstance(value, (str, bytes, os.PathLike)):
        raise type_error(field, "str, bytes or os.PathLike", value)
    try:
        name = os.fsencode(value)
    except UnicodeEncodeError:
        raise InvalidArgument(
            f"{field}: cannot be encoded as a file name of this system", field=field
        ) from None
    if b"\x00" in name:
        raise InvalidArgument(
            f"{field}: must not contain NUL characters (cannot be passed as a C string)",
            field=field,
        )
    return name


def int64(value: object, field: str) -> int:
    """An ``int`` (not a ``bool``) that fits in ``int64_t``."""
    if type(value) is not int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise type_error(field, "int", value)
        value = int(value)
    if not _INT64_MIN <= value <= _INT64_MAX:
        raise InvalidArgument(f"{field}: {value} does not fit in a 64-bit integer", field=field)
    return value


def payment(invoice_number: object, amount: object, ovo_id: object) -> Tuple[bytes, int, bytes]:
    """A push's arguments for C, in one call (plain ``str``/``int`` take an inline fast path)."""
    if (
        type(invoice_number) is str
        and type(ovo_id) is str
        and type(amount) is int
        and _INT64_MIN <= amount <= _INT64_MAX
        and "\x00" not in invoice_number
        and "\x00" not in ovo_id
    ):
        try:
            return invoice_number.encode(), amount, ovo_id.encode()
        except UnicodeEncodeError:  # a lone surrogate: libovo names it as invalid UTF-8
            pass
    return (
        c_string(invoice_number, F_INVOICE_NUMBER),
        int64(amount, F_AMOUNT),
        c_string(ovo_id, F_OVO_ID),
    )


def millis(value: object, field: str, zero_ok: bool = False) -> int:
    """Seconds (int or float) to milliseconds for a ``uint32_t``.

    Out-of-range values are clamped to 0 (or UINT32_MAX when ``zero_ok``: 0 is allowed there)
    or UINT32_MAX, which libovo rejects with its own message, so the range rule stays in one
    place.
    """
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise type_error(field, "a number of seconds (int or float)", value)
    seconds = float(value)
    if math.isnan(seconds) or seconds < 0 or (seconds == 0 and not zero_ok):
        return UINT32_MAX if zero_ok else 0
    if math.isinf(seconds) or seconds * 1000 >= UINT32_MAX:
        return UINT32_MAX
    return int(round(seconds * 1000))


def reconcile(value: object) -> Optional[Tuple[int, int]]:
    """``(first_delay_s, max_wait_s)`` to milliseconds; ``None`` leaves reconcile off."""
    if value is None:
        return None
    if not isinstance(value, tuple) or len(value) != 2:
        raise type_error(F_RECONCILE, "None or a (first_delay_s, max_wait_s) tuple", value)
    first, wait = value
    return millis(first, F_RECONCILE, zero_ok=True), millis(wait, F_RECONCILE, zero_ok=True)
