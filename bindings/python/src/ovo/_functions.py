"""The module-level functions: ``checksum``, ``describe_code`` and the library's identity."""

from __future__ import annotations

import ctypes
from typing import Dict, Optional, Tuple

from . import _ffi
from ._args import F_AMOUNT, F_CLIENT_ID, F_INVOICE_NUMBER, F_OVO_ID, F_SECRET_KEY
from ._args import c_string, int64
from ._errors import OvoError, make_error
from ._types import CodeInfo

_CHECKSUM_BUFFER = ctypes.c_char * _ffi.OVO_CHECKSUM_BUFFER_LEN
_INT64 = ctypes.c_int64
_native_checksum = _ffi.ovo_checksum


def checksum(amount: int, client_id: str, invoice_number: str, ovo_id: str, secret_key: str) -> str:
    """``security.check_sum`` for a push payment, computed by libovo (lower-case hex SHA-256).

    Raises :class:`InvalidArgument` (naming the field) when an argument breaks a field rule.
    """
    # Fast path for plain str/int arguments, without an error out-parameter; anything else (a
    # wrong type, a NUL, a lone surrogate, a refusal) goes through the checked path, which
    # repeats the (pure) call with one to raise libovo's message.
    out = _CHECKSUM_BUFFER()
    if (
        type(amount) is int
        and type(client_id) is str
        and type(invoice_number) is str
        and type(ovo_id) is str
        and type(secret_key) is str
        and -0x8000000000000000 <= amount <= 0x7FFFFFFFFFFFFFFF
        and "\x00" not in client_id
        and "\x00" not in invoice_number
        and "\x00" not in ovo_id
        and "\x00" not in secret_key
    ):
        try:
            if not _native_checksum(
                _INT64(amount),
                client_id.encode(),
                invoice_number.encode(),
                ovo_id.encode(),
                secret_key.encode(),
                out,
                _ffi.OVO_CHECKSUM_BUFFER_LEN,
                None,
            ):
                return out.value.decode()
        except UnicodeEncodeError:
            pass
    return _checked_checksum(amount, client_id, invoice_number, ovo_id, secret_key)


def _checked_checksum(
    amount: object, client_id: object, invoice_number: object, ovo_id: object, secret_key: object
) -> str:
    args = (
        _INT64(int64(amount, F_AMOUNT)),
        c_string(client_id, F_CLIENT_ID),
        c_string(invoice_number, F_INVOICE_NUMBER),
        c_string(ovo_id, F_OVO_ID),
        c_string(secret_key, F_SECRET_KEY),
    )
    out = _CHECKSUM_BUFFER()
    err = ctypes.c_void_p()
    rc = int(_native_checksum(*args, out, len(out), ctypes.byref(err)))
    if rc != _ffi.OVO_RESULT_OK:
        raise take_error(rc, err.value)
    return out.value.decode()


def read_error(err: int) -> Tuple[int, str, Optional[str]]:
    """Result, message and field of a (borrowed) non-NULL ``ovo_error *``."""
    result = int(_ffi.ovo_error_result(err))
    raw = _ffi.ovo_error_message(err)
    message = raw.decode("utf-8", "replace") if raw else "unknown error"
    raw_field = _ffi.ovo_error_field(err)
    return result, message, raw_field.decode("utf-8", "replace") if raw_field else None


def take_error(result: int, err: Optional[int]) -> OvoError:
    """Converts (and frees) an owned ``ovo_error *`` out-parameter."""
    if not err:
        return make_error(result, f"libovo returned {result} without an error object")
    try:
        code, message, field = read_error(err)
    finally:
        _ffi.ovo_error_free(err)
    return make_error(code, message, field)


# Known codes only: the spec's table is finite, a server's made-up codes are not.
_KNOWN_CODES: Dict[str, CodeInfo] = {}


def describe_code(code: str) -> CodeInfo:
    """What the spec says about an OVO response code (``known=False`` when not in its table)."""
    cached = _KNOWN_CODES.get(code) if type(code) is str else None
    if cached is not None:
        return cached
    raw = c_string(code, "code")
    info = _ffi.ovo_code_describe(raw).contents  # static: never freed
    result = CodeInfo(
        code=(info.code or b"").decode("utf-8", "replace"),
        name=(info.name or b"").decode("utf-8", "replace"),
        description=(info.description or b"").decode("utf-8", "replace"),
        known=bool(info.known),
    )
    if result.known and len(_KNOWN_CODES) < 256:
        _KNOWN_CODES[code] = result
    return result


def library_version() -> str:
    """The loaded native library's version, e.g. ``"0.1.0"``."""
    return _ffi.version()


def library_path() -> str:
    """The file the native library was loaded from."""
    return _ffi.library_path
