"""The C ABI of libovo (include/ovo.h), declared for ctypes.

Every function the binding calls gets its ``argtypes`` and ``restype`` here; nothing else in
the package touches the library object. Opaque handles are distinct pointer types, so ctypes
refuses a payment where a client is expected.
"""

from __future__ import annotations

import ctypes
from ctypes import (
    CFUNCTYPE,
    POINTER,
    Structure,
    c_bool,
    c_char,
    c_char_p,
    c_int64,
    c_size_t,
    c_uint32,
    c_void_p,
)
from typing import Any

from . import _loader

lib, library_path = _loader.load()

# Constants from ovo.h.
OVO_CHECKSUM_BUFFER_LEN = 65

OVO_RESULT_OK = 0
OVO_RESULT_INVALID_ARGUMENT = 1

OVO_ENVIRONMENT_SANDBOX = 0
OVO_ENVIRONMENT_PRODUCTION = 1

OVO_PROXY_MODE_FROM_ENVIRONMENT = 0
OVO_PROXY_MODE_NONE = 1
OVO_PROXY_MODE_URL = 2


class ovo_client(Structure):
    """Opaque."""


class ovo_config(Structure):
    """Opaque."""


class ovo_error(Structure):
    """Opaque."""


class ovo_payment(Structure):
    """Opaque."""


class ovo_code_info(Structure):
    _fields_ = [
        ("code", c_char_p),
        ("name", c_char_p),
        ("description", c_char_p),
        ("known", c_bool),
    ]


client_p = POINTER(ovo_client)
config_p = POINTER(ovo_config)
error_p = POINTER(ovo_error)
payment_p = POINTER(ovo_payment)

# typedef void (*ovo_payment_callback)(void *userdata, ovo_payment *payment);
# The payment arrives as a plain address (c_void_p gives an int) so the trampoline can
# rebuild a typed pointer without ctypes doing any work that could fail before the try block.
payment_callback = CFUNCTYPE(None, c_void_p, c_void_p)

ovo_result = c_uint32


def _fn(name: str, restype: Any, *argtypes: Any) -> Any:
    f = getattr(lib, name)
    f.restype = restype
    f.argtypes = list(argtypes)
    return f


ovo_version = _fn("ovo_version", c_char_p)

ovo_checksum = _fn(
    "ovo_checksum",
    ovo_result,
    c_int64,
    c_char_p,
    c_char_p,
    c_char_p,
    c_char_p,
    POINTER(c_char),
    c_size_t,
    POINTER(error_p),
)

ovo_client_new = _fn(
    "ovo_client_new",
    ovo_result,
    c_char_p,
    c_char_p,
    config_p,
    POINTER(client_p),
    POINTER(error_p),
)
ovo_client_free = _fn("ovo_client_free", None, client_p)

ovo_push_payment = _fn(
    "ovo_push_payment",
    ovo_result,
    client_p,
    c_char_p,
    c_int64,
    c_char_p,
    POINTER(payment_p),
)
ovo_push_payment_async = _fn(
    "ovo_push_payment_async",
    ovo_result,
    client_p,
    c_char_p,
    c_int64,
    c_char_p,
    payment_callback,
    c_void_p,
    POINTER(c_void_p),
    POINTER(error_p),
)

ovo_code_describe = _fn("ovo_code_describe", POINTER(ovo_code_info), c_char_p)

ovo_config_new = _fn("ovo_config_new", config_p)
ovo_config_free = _fn("ovo_config_free", None, config_p)
ovo_config_set_environment = _fn("ovo_config_set_environment", ovo_result, config_p, c_uint32)
ovo_config_set_base_url = _fn("ovo_config_set_base_url", ovo_result, config_p, c_char_p)
ovo_config_set_connect_timeout_ms = _fn(
    "ovo_config_set_connect_timeout_ms", ovo_result, config_p, c_uint32
)
ovo_config_set_timeout_ms = _fn("ovo_config_set_timeout_ms", ovo_result, config_p, c_uint32)
ovo_config_set_ca_file = _fn("ovo_config_set_ca_file", ovo_result, config_p, c_char_p)
ovo_config_set_proxy = _fn("ovo_config_set_proxy", ovo_result, config_p, c_uint32, c_char_p)

ovo_error_result = _fn("ovo_error_result", ovo_result, error_p)
ovo_error_message = _fn("ovo_error_message", c_char_p, error_p)
ovo_error_field = _fn("ovo_error_field", c_char_p, error_p)
ovo_error_free = _fn("ovo_error_free", None, error_p)

ovo_payment_free = _fn("ovo_payment_free", None, payment_p)
ovo_payment_result = _fn("ovo_payment_result", ovo_result, payment_p)
ovo_payment_outcome = _fn("ovo_payment_outcome", c_uint32, payment_p)
ovo_payment_error = _fn("ovo_payment_error", error_p, payment_p)
ovo_payment_http_status = _fn("ovo_payment_http_status", c_uint32, payment_p)
ovo_payment_request_id = _fn("ovo_payment_request_id", c_char_p, payment_p)
# Returns the body as a raw pointer: c_char_p would stop at the first NUL and copy twice.
ovo_payment_raw_body = _fn("ovo_payment_raw_body", c_void_p, payment_p, POINTER(c_size_t))
ovo_payment_text = _fn("ovo_payment_text", c_char_p, payment_p, c_uint32)
ovo_payment_number = _fn("ovo_payment_number", c_bool, payment_p, c_uint32, POINTER(c_int64))


def version() -> str:
    """The loaded library's version, e.g. ``"0.1.0"``."""
    raw = ovo_version()
    return raw.decode("utf-8", "replace") if isinstance(raw, bytes) else ""


def string_at(address: int, size: int) -> bytes:
    return ctypes.string_at(address, size)
