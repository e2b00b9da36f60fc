"""Payments backed by the native ``ovo_payment``: each field is read when first asked for.

A :class:`NativePayment` is a :class:`~ovo.Payment` (same fields, same frozen behaviour) that
owns its ``ovo_payment *`` and frees it when garbage-collected. Only ``result`` and ``outcome``
are read up front; every other field costs one ctypes call on first access and is then kept,
so a caller that only looks at ``outcome`` pays for two calls, not thirty (and never for a
JSON parse of the body it did not ask for). The native payment is immutable, so reading from several
threads at once is safe.
"""

from __future__ import annotations

import ctypes
import json
from typing import Any, Callable, Dict, List, Optional, Tuple

from . import _ffi
from ._errors import _RESULTS, OvoError, make_error
from ._functions import describe_code, read_error
from ._types import Kind, Outcome, Payment, Result, parse_date, parse_journal_time

_OUTCOMES: Dict[int, Outcome] = {int(o.value): o for o in Outcome}
_KINDS: Dict[int, Kind] = {int(k.value): k for k in Kind}

_text_of = _ffi.ovo_payment_text
_number_of = _ffi.ovo_payment_number


class NativePayment(Payment):
    """A :class:`~ovo.Payment` whose fields come from a native ``ovo_payment`` on demand."""

    # Set by take()/borrowed(): the address, and what it is borrowed from (a payment or a
    # payment list, kept alive by this reference; None: owned).
    _addr: int
    _owner: Optional[object]

    def __reduce__(self) -> Tuple[Any, ...]:
        # Pickle and copy as a plain Payment with every field read.
        return (Payment, tuple(getattr(self, name) for name in Payment.__dataclass_fields__))

    def _error(self) -> OvoError:
        """The exception for this payment's non-OK result, carrying the payment."""
        err = _ffi.ovo_payment_error(self._addr)  # borrowed from the payment
        if err:
            code, message, field = read_error(err)
        else:
            code, message, field = int(self.result), f"payment ended {self.result.name}", None
        return make_error(code, message, field, self)

    def __del__(self) -> None:
        d = self.__dict__
        addr = d.pop("_addr", None)
        if addr and d.get("_owner") is None:
            try:
                _ffi.ovo_payment_free(addr)
            except Exception:  # interpreter shutdown: nothing useful left to do
                pass


class _Lazy:
    """A non-data descriptor: computes the field from the native payment once, then the
    value sits in the instance ``__dict__`` (which Python looks at first from then on)."""

    __slots__ = ("name", "read")

    def __init__(self, name: str, read: Callable[[NativePayment], Any]) -> None:
        self.name = name
        self.read = read

    def __get__(self, obj: Optional[NativePayment], owner: Any = None) -> Any:
        if obj is None:
            return self
        value = self.read(obj)
        obj.__dict__[self.name] = value
        return value


def _text(field: int) -> Callable[[NativePayment], Optional[str]]:
    def read(p: NativePayment) -> Optional[str]:
        raw = _text_of(p._addr, field)
        return None if raw is None else raw.decode("utf-8", "replace")

    return read


def _number(field: int) -> Callable[[NativePayment], Optional[int]]:
    def read(p: NativePayment) -> Optional[int]:
        value = ctypes.c_int64()
        return value.value if _number_of(p._addr, field, ctypes.byref(value)) else None

    return read


_date_text = _text(_ffi.OVO_FIELD_DATE)


def _raw_body(p: NativePayment) -> bytes:
    size = ctypes.c_size_t(0)
    address = _ffi.ovo_payment_raw_body(p._addr, ctypes.byref(size))
    return _ffi.string_at(address, size.value) if address and size.value else b""


def _raw(p: NativePayment) -> Optional[Dict[str, Any]]:
    body = p.raw_body
    if not body:
        return None
    try:
        parsed = json.loads(body)
    except ValueError:
        return None
    return parsed if isinstance(parsed, dict) else None


def _last_check(p: NativePayment) -> Optional[Payment]:
    addr = _ffi.ovo_payment_last_check(p._addr)
    return borrowed(addr, p) if addr else None


def _message(p: NativePayment) -> Optional[str]:
    if p.result is _OK:
        return None
    err = _ffi.ovo_payment_error(p._addr)  # borrowed from the payment
    raw = _ffi.ovo_error_message(err) if err else None
    return raw.decode("utf-8", "replace") if raw else f"payment ended {p.result.name}"


def _journal_time(field: int) -> Callable[[NativePayment], Any]:
    text = _text(field)
    return lambda p: parse_journal_time(text(p))


def _request_id(p: NativePayment) -> Optional[str]:
    raw = _ffi.ovo_payment_request_id(p._addr)
    return raw.decode("utf-8", "replace") if raw else None


def _response_code_info(p: NativePayment) -> Any:
    code = p.response_code
    return None if code is None else describe_code(code)


# The text and number fields: each attribute and the OVO_FIELD_* that ovo_payment_text /
# ovo_payment_number read it from.
_TEXT_FIELDS = {
    "client_id": _ffi.OVO_FIELD_CLIENT_ID,
    "invoice_number": _ffi.OVO_FIELD_INVOICE_NUMBER,
    "ovo_id": _ffi.OVO_FIELD_OVO_ID,
    "account_name": _ffi.OVO_FIELD_ACCOUNT_NAME,
    "merchant_id": _ffi.OVO_FIELD_MERCHANT_ID,
    "store_code": _ffi.OVO_FIELD_STORE_CODE,
    "mid": _ffi.OVO_FIELD_MID,
    "tid": _ffi.OVO_FIELD_TID,
    "approval_code": _ffi.OVO_FIELD_APPROVAL_CODE,
    "response_code": _ffi.OVO_FIELD_RESPONSE_CODE,
    "status": _ffi.OVO_FIELD_STATUS,
    "check_sum": _ffi.OVO_FIELD_CHECK_SUM,
    "transaction_status": _ffi.OVO_FIELD_TRANSACTION_STATUS,
    "transaction_date": _ffi.OVO_FIELD_TRANSACTION_DATE,
    "original_request_id": _ffi.OVO_FIELD_ORIGINAL_REQUEST_ID,
    "service_id": _ffi.OVO_FIELD_SERVICE_ID,
    "acquirer_id": _ffi.OVO_FIELD_ACQUIRER_ID,
    "channel_id": _ffi.OVO_FIELD_CHANNEL_ID,
    "check_invoice_number": _ffi.OVO_FIELD_CHECK_INVOICE_NUMBER,
    "check_response_code": _ffi.OVO_FIELD_CHECK_RESPONSE_CODE,
    "request_invoice_number": _ffi.OVO_FIELD_REQUEST_INVOICE_NUMBER,
    "request_ovo_id": _ffi.OVO_FIELD_REQUEST_OVO_ID,
    "journal_state": _ffi.OVO_FIELD_JOURNAL_STATE,
}
_NUMBER_FIELDS = {
    "amount": _ffi.OVO_FIELD_AMOUNT,
    "batch_number": _ffi.OVO_FIELD_BATCH_NUMBER,
    "trace_number": _ffi.OVO_FIELD_TRACE_NUMBER,
    "reference_number": _ffi.OVO_FIELD_REFERENCE_NUMBER,
    "cash_used": _ffi.OVO_FIELD_CASH_USED,
    "cash_balance": _ffi.OVO_FIELD_CASH_BALANCE,
    "points_used": _ffi.OVO_FIELD_POINTS_USED,
    "points_balance": _ffi.OVO_FIELD_POINTS_BALANCE,
    "points_earned": _ffi.OVO_FIELD_POINTS_EARNED,
    "check_amount": _ffi.OVO_FIELD_CHECK_AMOUNT,
    "request_amount": _ffi.OVO_FIELD_REQUEST_AMOUNT,
}

_readers: Dict[str, Callable[[NativePayment], Any]] = {
    "kind": lambda p: _KINDS.get(_ffi.ovo_payment_kind(p._addr), Kind.PUSH),
    "cancelled": lambda p: bool(_ffi.ovo_payment_cancelled(p._addr)),
    "not_found": lambda p: bool(_ffi.ovo_payment_not_found(p._addr)),
    "http_status": lambda p: _ffi.ovo_payment_http_status(p._addr) or None,
    "request_id": _request_id,
    "response_code_info": _response_code_info,
    "date": lambda p: parse_date(_date_text(p)),
    "raw_body": _raw_body,
    "raw": _raw,
    "last_check": _last_check,
    "message": _message,
    "journal_created_at": _journal_time(_ffi.OVO_FIELD_JOURNAL_CREATED_AT),
    "journal_updated_at": _journal_time(_ffi.OVO_FIELD_JOURNAL_UPDATED_AT),
}
_readers.update((name, _text(number)) for name, number in _TEXT_FIELDS.items())
_readers.update((name, _number(number)) for name, number in _NUMBER_FIELDS.items())
_EAGER = {"result", "outcome"}  # read by take()
assert set(_readers) == set(Payment.__dataclass_fields__) - _EAGER, "a field without reader"
for _name, _read in _readers.items():
    setattr(NativePayment, _name, _Lazy(_name, _read))


_new = NativePayment.__new__
_result_of = _ffi.ovo_payment_result
_outcome_of = _ffi.ovo_payment_outcome


def take(addr: int) -> NativePayment:
    """Takes ownership of an ``ovo_payment *`` (non-NULL); reads its result and outcome."""
    p = _new(NativePayment)
    d = p.__dict__
    d["_addr"] = addr
    d["_owner"] = None
    d["result"] = _RESULTS.get(_result_of(addr), Result.INTERNAL)
    # A value this binding does not know is UNKNOWN: never guess "paid" or "not paid".
    d["outcome"] = _OUTCOMES.get(_outcome_of(addr), Outcome.UNKNOWN)
    return p


def borrowed(addr: int, owner: object) -> NativePayment:
    """A payment borrowed from ``owner`` (the payment whose last check it is, or a
    :class:`_List`): keeps ``owner`` alive, never freed itself."""
    p = take(addr)
    p.__dict__["_owner"] = owner
    return p


class _List:
    """Owns an ``ovo_payment_list *``; freed when the last payment borrowed from it is gone."""

    __slots__ = ("_addr",)

    def __init__(self, addr: int) -> None:
        self._addr = addr

    def __del__(self) -> None:
        try:
            _ffi.ovo_payment_list_free(self._addr)
        except Exception:  # interpreter shutdown: nothing useful left to do
            pass


def take_list(addr: int) -> List[Payment]:
    """Takes ownership of an ``ovo_payment_list *`` (non-NULL): its payments, each read
    lazily and keeping the list alive (it is freed with the last of them)."""
    owner = _List(addr)
    get = _ffi.ovo_payment_list_get
    return [borrowed(get(addr, i), owner) for i in range(_ffi.ovo_payment_list_len(addr))]


_DECIDED = (Outcome.PAID, Outcome.NOT_PAID, Outcome.REFUNDED)
_OK = Result.OK
_UNKNOWN = Result.OUTCOME_UNKNOWN


def owned(addr: Optional[int]) -> Optional[NativePayment]:
    """Takes ownership of an ``ovo_payment *`` out-parameter at once (NULL gives None), so
    that nothing can happen between the native call and the payment being owned (and freed
    when garbage-collected); :func:`required` or :func:`answered` decide on it afterwards."""
    return take(addr) if addr else None


def required(p: Optional[NativePayment]) -> NativePayment:
    """The payment, whatever its result (None, for a NULL one, raises InternalError)."""
    if p is None:
        raise make_error(int(Result.INTERNAL), "libovo returned no payment")
    return p


def answered(p: Optional[NativePayment]) -> NativePayment:
    """The payment when DOKU answered, else raises its error (which carries it); None (a NULL
    one) raises InternalError.

    DOKU answered when the result is OK, and also when a push without a usable answer of its
    own was reconciled by a status check that decided it (its ``result`` stays
    ``OUTCOME_UNKNOWN``; ``last_check`` is that check). A refusal (``ALREADY_PAID``, ...)
    always raises, even when the stored payment it carries was decided by a check.
    """
    p = required(p)
    if p.result is not _OK and not (
        p.result is _UNKNOWN and p.outcome in _DECIDED and p.last_check is not None
    ):
        raise p._error()
    return p


def finish(addr: Optional[int]) -> NativePayment:
    """Takes an owned ``ovo_payment *``: :func:`answered` of :func:`owned`."""
    return answered(owned(addr))
