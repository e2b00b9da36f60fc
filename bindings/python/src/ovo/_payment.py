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
from typing import Any, Callable, Dict, Optional, Tuple

from . import _ffi
from ._errors import OvoError, make_error
from ._functions import describe_code, read_error
from ._types import Kind, Outcome, Payment, Result, parse_date

_RESULTS: Dict[int, Result] = {int(r): r for r in Result}
_OUTCOMES: Dict[int, Outcome] = {int(o.value): o for o in Outcome}
_KINDS: Dict[int, Kind] = {int(k.value): k for k in Kind}

_text_of = _ffi.ovo_payment_text
_number_of = _ffi.ovo_payment_number


class NativePayment(Payment):
    """A :class:`~ovo.Payment` whose fields come from a native ``ovo_payment`` on demand."""

    # Set by take()/borrowed(): the address, and the payment it is borrowed from (None: owned).
    _addr: int
    _owner: Optional["NativePayment"]

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


_date_text = _text(10)


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


def _request_id(p: NativePayment) -> Optional[str]:
    raw = _ffi.ovo_payment_request_id(p._addr)
    return raw.decode("utf-8", "replace") if raw else None


def _response_code_info(p: NativePayment) -> Any:
    code = p.response_code
    return None if code is None else describe_code(code)


# OVO_FIELD_* numbers of the text and number fields.
_TEXT_FIELDS = {
    "client_id": 1, "invoice_number": 2, "ovo_id": 4, "account_name": 5, "merchant_id": 6,
    "store_code": 7, "mid": 8, "tid": 9, "approval_code": 14, "response_code": 15,
    "status": 21, "check_sum": 22, "transaction_status": 23, "transaction_date": 24,
    "original_request_id": 25, "service_id": 26, "acquirer_id": 27, "channel_id": 28,
    "check_invoice_number": 30, "check_response_code": 31, "request_invoice_number": 32,
    "request_ovo_id": 34,
}  # fmt: skip
_NUMBER_FIELDS = {
    "amount": 3, "batch_number": 11, "trace_number": 12, "reference_number": 13,
    "cash_used": 16, "cash_balance": 17, "points_used": 18, "points_balance": 19,
    "points_earned": 20, "check_amount": 29, "request_amount": 33,
}  # fmt: skip

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


def borrowed(addr: int, owner: NativePayment) -> NativePayment:
    """A payment borrowed from ``owner`` (its last check): keeps ``owner`` alive, never freed."""
    p = take(addr)
    p.__dict__["_owner"] = owner
    return p


_DECIDED = (Outcome.PAID, Outcome.NOT_PAID, Outcome.REFUNDED)
_OK = Result.OK


def finish_any(addr: Optional[int]) -> NativePayment:
    """Takes an owned ``ovo_payment *`` whatever its result (NULL raises InternalError)."""
    if not addr:
        raise make_error(int(Result.INTERNAL), "libovo returned no payment")
    return take(addr)


def finish(addr: Optional[int]) -> NativePayment:
    """Takes an owned ``ovo_payment *``; returns it when DOKU answered, else raises its error
    (which carries it).

    DOKU answered when the result is OK, and also when a push without a usable answer of its
    own was reconciled by a status check that decided it (its ``result`` stays
    ``OUTCOME_UNKNOWN``; ``last_check`` is that check).
    """
    if not addr:
        raise make_error(int(Result.INTERNAL), "libovo returned no payment")
    p = take(addr)
    if p.result is not _OK and not (p.last_check is not None and p.outcome in _DECIDED):
        raise p._error()
    return p
