"""The C ABI of libovo (include/ovo.h), declared for ctypes.

Every function the binding calls gets its ``argtypes`` and ``restype`` here, once; nothing
else in the package touches the library object. Opaque handles (``ovo_client *``,
``ovo_payment *``, ...) are ``c_void_p``: they travel as plain ``int`` addresses, which ctypes
converts several times faster than typed ``POINTER(Structure)`` arguments (this is on the
path of every payment field read). Which address is which is the callers' business.
"""

from __future__ import annotations

import ctypes
from ctypes import CFUNCTYPE, POINTER, Structure, c_bool, c_char_p, c_int64, c_size_t
from ctypes import c_uint32, c_void_p
from typing import Any

from . import _loader

lib, library_path = _loader.load()

# Constants from ovo.h.
OVO_CHECKSUM_BUFFER_LEN = 65

OVO_RESULT_OK = 0

OVO_ENVIRONMENT_SANDBOX = 0
OVO_ENVIRONMENT_PRODUCTION = 1

OVO_PROXY_MODE_FROM_ENVIRONMENT = 0
OVO_PROXY_MODE_NONE = 1
OVO_PROXY_MODE_URL = 2

OVO_LOG_LEVEL_DEBUG = 1
OVO_LOG_LEVEL_INFO = 2
OVO_LOG_LEVEL_WARN = 3
OVO_LOG_LEVEL_ERROR = 4

# enum ovo_field: which field ovo_payment_text / ovo_payment_number read.
OVO_FIELD_CLIENT_ID = 1
OVO_FIELD_INVOICE_NUMBER = 2
OVO_FIELD_AMOUNT = 3
OVO_FIELD_OVO_ID = 4
OVO_FIELD_ACCOUNT_NAME = 5
OVO_FIELD_MERCHANT_ID = 6
OVO_FIELD_STORE_CODE = 7
OVO_FIELD_MID = 8
OVO_FIELD_TID = 9
OVO_FIELD_DATE = 10
OVO_FIELD_BATCH_NUMBER = 11
OVO_FIELD_TRACE_NUMBER = 12
OVO_FIELD_REFERENCE_NUMBER = 13
OVO_FIELD_APPROVAL_CODE = 14
OVO_FIELD_RESPONSE_CODE = 15
OVO_FIELD_CASH_USED = 16
OVO_FIELD_CASH_BALANCE = 17
OVO_FIELD_POINTS_USED = 18
OVO_FIELD_POINTS_BALANCE = 19
OVO_FIELD_POINTS_EARNED = 20
OVO_FIELD_STATUS = 21
OVO_FIELD_CHECK_SUM = 22
OVO_FIELD_TRANSACTION_STATUS = 23
OVO_FIELD_TRANSACTION_DATE = 24
OVO_FIELD_ORIGINAL_REQUEST_ID = 25
OVO_FIELD_SERVICE_ID = 26
OVO_FIELD_ACQUIRER_ID = 27
OVO_FIELD_CHANNEL_ID = 28
OVO_FIELD_CHECK_AMOUNT = 29
OVO_FIELD_CHECK_INVOICE_NUMBER = 30
OVO_FIELD_CHECK_RESPONSE_CODE = 31
OVO_FIELD_REQUEST_INVOICE_NUMBER = 32
OVO_FIELD_REQUEST_AMOUNT = 33
OVO_FIELD_REQUEST_OVO_ID = 34
OVO_FIELD_JOURNAL_STATE = 35
OVO_FIELD_JOURNAL_CREATED_AT = 36
OVO_FIELD_JOURNAL_UPDATED_AT = 37


class ovo_code_info(Structure):
    """``ovo_code_info``: static strings describing one response code."""

    _fields_ = [
        ("code", c_char_p),
        ("name", c_char_p),
        ("description", c_char_p),
        ("known", c_bool),
    ]


#: ``typedef void (*ovo_payment_callback)(void *userdata, ovo_payment *payment)``. Both
#: arrive as plain ints (or None), so the trampoline does no ctypes work before its try block.
payment_callback = CFUNCTYPE(None, c_void_p, c_void_p)

#: ``typedef void (*ovo_log_callback)(void *userdata, ovo_log_level level, const char *message)``.
log_callback = CFUNCTYPE(None, c_void_p, c_uint32, c_char_p)

_result = c_uint32
_handle = c_void_p
_out_handle = POINTER(c_void_p)


def _fn(name: str, restype: Any, *argtypes: Any) -> Any:
    f = getattr(lib, name)
    f.restype = restype
    f.argtypes = list(argtypes)
    return f


ovo_version = _fn("ovo_version", c_char_p)
ovo_result_name = _fn("ovo_result_name", c_char_p, c_uint32)
ovo_outcome_name = _fn("ovo_outcome_name", c_char_p, c_uint32)

# ovo_checksum is called without argtypes (see _functions.checksum: 8 from_param conversions
# cost more than the hash); the buffer and the int64 arrive as ctypes objects, strings as bytes.
ovo_checksum = lib.ovo_checksum
ovo_checksum.restype = _result

ovo_code_describe = _fn("ovo_code_describe", POINTER(ovo_code_info), c_char_p)

ovo_config_new = _fn("ovo_config_new", _handle)
ovo_config_free = _fn("ovo_config_free", None, _handle)
ovo_config_set_environment = _fn("ovo_config_set_environment", _result, _handle, c_uint32)
ovo_config_set_base_url = _fn("ovo_config_set_base_url", _result, _handle, c_char_p)
ovo_config_set_connect_timeout_ms = _fn(
    "ovo_config_set_connect_timeout_ms", _result, _handle, c_uint32
)
ovo_config_set_timeout_ms = _fn("ovo_config_set_timeout_ms", _result, _handle, c_uint32)
ovo_config_set_status_timeout_ms = _fn(
    "ovo_config_set_status_timeout_ms", _result, _handle, c_uint32
)
ovo_config_set_reconcile = _fn(
    "ovo_config_set_reconcile", _result, _handle, c_uint32, c_uint32
)
ovo_config_set_ca_file = _fn("ovo_config_set_ca_file", _result, _handle, c_char_p)
ovo_config_set_proxy = _fn("ovo_config_set_proxy", _result, _handle, c_uint32, c_char_p)
ovo_config_set_journal = _fn("ovo_config_set_journal", _result, _handle, c_char_p)
ovo_config_timeout_ms = _fn("ovo_config_timeout_ms", c_uint32, _handle)
ovo_config_connect_timeout_ms = _fn("ovo_config_connect_timeout_ms", c_uint32, _handle)
ovo_config_status_timeout_ms = _fn("ovo_config_status_timeout_ms", c_uint32, _handle)

ovo_client_new = _fn(
    "ovo_client_new", _result, c_char_p, c_char_p, _handle, _out_handle, _out_handle
)
ovo_client_free = _fn("ovo_client_free", None, _handle)

ovo_push_payment_cancellable = _fn(
    "ovo_push_payment_cancellable",
    _result,
    _handle,
    c_char_p,
    c_int64,
    c_char_p,
    _handle,
    _out_handle,
)
ovo_push_payment_async = _fn(
    "ovo_push_payment_async",
    _result,
    _handle,
    c_char_p,
    c_int64,
    c_char_p,
    payment_callback,
    c_void_p,
    _out_handle,
    _out_handle,
)
ovo_check_status = _fn("ovo_check_status", _result, _handle, c_char_p, _out_handle)

ovo_journal_unsettled = _fn("ovo_journal_unsettled", _result, _handle, _out_handle, _out_handle)
ovo_client_settle = _fn("ovo_client_settle", _result, _handle, c_char_p, _out_handle)
ovo_client_settle_all = _fn("ovo_client_settle_all", _result, _handle, _out_handle, _out_handle)
ovo_payment_list_len = _fn("ovo_payment_list_len", c_size_t, _handle)
ovo_payment_list_get = _fn("ovo_payment_list_get", _handle, _handle, c_size_t)
ovo_payment_list_free = _fn("ovo_payment_list_free", None, _handle)

ovo_payment_handle_new = _fn("ovo_payment_handle_new", _handle)
ovo_payment_cancel = _fn("ovo_payment_cancel", _result, _handle)
ovo_payment_handle_free = _fn("ovo_payment_handle_free", None, _handle)

ovo_error_result = _fn("ovo_error_result", _result, _handle)
ovo_error_message = _fn("ovo_error_message", c_char_p, _handle)
ovo_error_field = _fn("ovo_error_field", c_char_p, _handle)
ovo_error_free = _fn("ovo_error_free", None, _handle)

ovo_payment_free = _fn("ovo_payment_free", None, _handle)
ovo_payment_result = _fn("ovo_payment_result", _result, _handle)
ovo_payment_outcome = _fn("ovo_payment_outcome", c_uint32, _handle)
ovo_payment_kind = _fn("ovo_payment_kind", c_uint32, _handle)
ovo_payment_error = _fn("ovo_payment_error", _handle, _handle)
ovo_payment_cancelled = _fn("ovo_payment_cancelled", c_bool, _handle)
ovo_payment_not_found = _fn("ovo_payment_not_found", c_bool, _handle)
ovo_payment_last_check = _fn("ovo_payment_last_check", _handle, _handle)
ovo_payment_http_status = _fn("ovo_payment_http_status", c_uint32, _handle)
ovo_payment_request_id = _fn("ovo_payment_request_id", c_char_p, _handle)
# Returns the body as a raw pointer: c_char_p would stop at the first NUL and copy twice.
ovo_payment_raw_body = _fn("ovo_payment_raw_body", c_void_p, _handle, POINTER(c_size_t))
ovo_payment_text = _fn("ovo_payment_text", c_char_p, _handle, c_uint32)
ovo_payment_number = _fn("ovo_payment_number", c_bool, _handle, c_uint32, POINTER(c_int64))

# The callback travels as c_void_p so that None (NULL: logging off) is accepted too.
ovo_set_log_callback = _fn("ovo_set_log_callback", _result, c_uint32, c_void_p, c_void_p)


def version() -> str:
    """The loaded library's version, e.g. ``"0.1.0"``."""
    raw = ovo_version()
    return raw.decode("utf-8", "replace") if isinstance(raw, bytes) else ""


def string_at(address: int, size: int) -> bytes:
    """``size`` bytes at ``address`` (a native buffer) as ``bytes``."""
    return ctypes.string_at(address, size)
