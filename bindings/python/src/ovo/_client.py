"""The public functions and the Client: argument marshalling and result conversion only.

Validation, checksums and HTTP all happen in libovo. Python-side checks are limited to what
cannot cross the C ABI: the Python type of an argument, a ``str`` containing ``"\\x00"`` (a C
string would end there) and an ``int`` that does not fit in ``int64_t``.
"""

from __future__ import annotations

import atexit
import concurrent.futures
import ctypes
import itertools
import json
import math
import os
import sys
import threading
import time
from concurrent.futures import Future
from types import FrameType
from typing import Any, Dict, Optional, Tuple, Union

from . import _ffi
from ._errors import ArgumentTypeError, InternalError, InvalidArgument, OvoError, make_error
from ._managed import Managed
from ._types import CodeInfo, Environment, Outcome, Payment, Proxy, Result, parse_date

# Field names, as the native library spells them in its messages.
F_CLIENT_ID = "client.id"
F_SECRET_KEY = "secret_key"
F_INVOICE_NUMBER = "order.invoice_number"
F_AMOUNT = "order.amount"
F_OVO_ID = "ovo_info.ovo_id"
F_BASE_URL = "base_url"
F_TIMEOUT = "timeout"
F_CONNECT_TIMEOUT = "connect_timeout"
F_CA_FILE = "ca_file"
F_PROXY = "proxy"
F_ENVIRONMENT = "environment"

_INT64_MIN = -(2**63)
_INT64_MAX = 2**63 - 1
_UINT32_MAX = 2**32 - 1

# ---------------------------------------------------------------------------------------------
# Arguments


def _type_error(field: str, expected: str, value: object) -> ArgumentTypeError:
    return ArgumentTypeError(
        f"{field}: must be {expected}, not {type(value).__name__}", field=field
    )


def _c_string(value: object, field: str) -> bytes:
    """A ``str`` as NUL-terminated UTF-8 for C. The native side judges the content.

    Lone surrogates are passed through (``surrogatepass``) so libovo reports them as invalid
    UTF-8 itself.
    """
    if not isinstance(value, str):
        raise _type_error(field, "str", value)
    if "\x00" in value:
        raise InvalidArgument(
            f"{field}: must not contain NUL characters (cannot be passed as a C string)",
            field=field,
        )
    return value.encode("utf-8", "surrogatepass")


def _optional_c_string(value: object, field: str) -> Optional[bytes]:
    return None if value is None else _c_string(value, field)


def _path(value: object, field: str) -> Optional[bytes]:
    if value is None:
        return None
    if not isinstance(value, (str, os.PathLike)):
        raise _type_error(field, "str or os.PathLike", value)
    path = os.fspath(value)
    if isinstance(path, bytes):
        if b"\x00" in path:
            raise InvalidArgument(f"{field}: must not contain NUL bytes", field=field)
        return path
    return _c_string(path, field)


def _int64(value: object, field: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise _type_error(field, "int", value)
    if not _INT64_MIN <= value <= _INT64_MAX:
        raise InvalidArgument(f"{field}: {value} does not fit in a 64-bit integer", field=field)
    return int(value)


def _millis(value: object, field: str) -> int:
    """Seconds (int or float) to milliseconds for a ``uint32_t``.

    Out-of-range values are clamped to 0 or UINT32_MAX, both of which libovo rejects with its
    own message, so the range rule stays in one place.
    """
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise _type_error(field, "a number of seconds (int or float)", value)
    seconds = float(value)
    if math.isnan(seconds) or seconds <= 0:
        return 0
    if math.isinf(seconds) or seconds * 1000 >= _UINT32_MAX:
        return _UINT32_MAX
    return int(round(seconds * 1000))


def _text(raw: Optional[bytes]) -> Optional[str]:
    return None if raw is None else raw.decode("utf-8", "replace")


# ---------------------------------------------------------------------------------------------
# Native objects


class _Error(Managed):
    _kind = "ovo_error"
    _free_fn = _ffi.ovo_error_free


class _Config(Managed):
    _kind = "ovo_config"
    _free_fn = _ffi.ovo_config_free


class _NativePayment(Managed):
    _kind = "ovo_payment"
    _free_fn = _ffi.ovo_payment_free


def _read_error(err: Any) -> Tuple[int, str, Optional[str]]:
    """Result, message and field of a (borrowed) non-NULL ``ovo_error *``."""
    result = int(_ffi.ovo_error_result(err))
    message = _text(_ffi.ovo_error_message(err)) or "unknown error"
    field = _text(_ffi.ovo_error_field(err))
    return result, message, field


def _take_error(result: int, err: Any) -> OvoError:
    """Converts (and frees) an owned ``ovo_error *`` out-parameter."""
    if not err:
        return make_error(result, f"libovo returned {result} without an error object")
    with _Error(err) as owned, owned._borrow() as ptr:
        code, message, field = _read_error(ptr)
    return make_error(code, message, field)


# OVO_FIELD_* values.
_F_CLIENT_ID = 1
_F_INVOICE_NUMBER = 2
_F_AMOUNT = 3
_F_OVO_ID = 4
_F_ACCOUNT_NAME = 5
_F_MERCHANT_ID = 6
_F_STORE_CODE = 7
_F_MID = 8
_F_TID = 9
_F_DATE = 10
_F_BATCH_NUMBER = 11
_F_TRACE_NUMBER = 12
_F_REFERENCE_NUMBER = 13
_F_APPROVAL_CODE = 14
_F_RESPONSE_CODE = 15
_F_CASH_USED = 16
_F_CASH_BALANCE = 17
_F_POINTS_USED = 18
_F_POINTS_BALANCE = 19
_F_POINTS_EARNED = 20
_F_STATUS = 21
_F_CHECK_SUM = 22


def _read_payment(p: Any) -> Tuple[Payment, Optional[OvoError]]:
    """Copies everything out of a (borrowed) ``ovo_payment *``; the error if its result is not OK."""
    try:
        result = Result(int(_ffi.ovo_payment_result(p)))
    except ValueError:
        result = Result.INTERNAL
    try:
        outcome = Outcome(int(_ffi.ovo_payment_outcome(p)))
    except ValueError:  # a newer library's value: never guess "paid" or "not paid"
        outcome = Outcome.UNKNOWN

    size = ctypes.c_size_t(0)
    address = _ffi.ovo_payment_raw_body(p, ctypes.byref(size))
    body = _ffi.string_at(address, size.value) if address and size.value else b""
    raw: Optional[Dict[str, Any]] = None
    if body:
        try:
            parsed = json.loads(body)
        except ValueError:
            parsed = None
        if isinstance(parsed, dict):
            raw = parsed

    def text(field: int) -> Optional[str]:
        return _text(_ffi.ovo_payment_text(p, field))

    def number(field: int) -> Optional[int]:
        value = ctypes.c_int64(0)
        return int(value.value) if _ffi.ovo_payment_number(p, field, ctypes.byref(value)) else None

    response_code = text(_F_RESPONSE_CODE)
    payment = Payment(
        outcome=outcome,
        result=result,
        status=text(_F_STATUS),
        response_code=response_code,
        response_code_info=None if response_code is None else describe_code(response_code),
        request_id=_text(_ffi.ovo_payment_request_id(p)) or None,
        http_status=int(_ffi.ovo_payment_http_status(p)) or None,
        client_id=text(_F_CLIENT_ID),
        invoice_number=text(_F_INVOICE_NUMBER),
        amount=number(_F_AMOUNT),
        ovo_id=text(_F_OVO_ID),
        account_name=text(_F_ACCOUNT_NAME),
        merchant_id=text(_F_MERCHANT_ID),
        store_code=text(_F_STORE_CODE),
        mid=text(_F_MID),
        tid=text(_F_TID),
        date=parse_date(text(_F_DATE)),
        batch_number=number(_F_BATCH_NUMBER),
        trace_number=number(_F_TRACE_NUMBER),
        reference_number=number(_F_REFERENCE_NUMBER),
        approval_code=text(_F_APPROVAL_CODE),
        cash_used=number(_F_CASH_USED),
        cash_balance=number(_F_CASH_BALANCE),
        points_used=number(_F_POINTS_USED),
        points_balance=number(_F_POINTS_BALANCE),
        points_earned=number(_F_POINTS_EARNED),
        check_sum=text(_F_CHECK_SUM),
        raw_body=body,
        raw=raw,
    )
    error: Optional[OvoError] = None
    if result is not Result.OK:
        err = _ffi.ovo_payment_error(p)  # borrowed from the payment
        if err:
            code, message, field = _read_error(err)
        else:
            code, message, field = int(result), f"payment failed with result {result.name}", None
        error = make_error(code, message, field, payment)
    return payment, error


def _finish(ptr: Any) -> Payment:
    """Reads and frees an owned ``ovo_payment *``; returns it, or raises its error."""
    if not ptr:
        raise InternalError("libovo returned no payment")
    with _NativePayment(ptr) as owned, owned._borrow() as p:
        payment, error = _read_payment(p)
    if error is not None:
        raise error
    return payment


# ---------------------------------------------------------------------------------------------
# Functions


def checksum(amount: int, client_id: str, invoice_number: str, ovo_id: str, secret_key: str) -> str:
    """``security.check_sum`` for a push payment, computed by libovo (lower-case hex SHA-256).

    Raises :class:`InvalidArgument` (naming the field) when an argument breaks a field rule.
    """
    args = (
        _int64(amount, F_AMOUNT),
        _c_string(client_id, F_CLIENT_ID),
        _c_string(invoice_number, F_INVOICE_NUMBER),
        _c_string(ovo_id, F_OVO_ID),
        _c_string(secret_key, F_SECRET_KEY),
    )
    out = ctypes.create_string_buffer(_ffi.OVO_CHECKSUM_BUFFER_LEN)
    err = _ffi.error_p()
    rc = int(_ffi.ovo_checksum(*args, out, len(out), ctypes.byref(err)))
    if rc != _ffi.OVO_RESULT_OK:
        raise _take_error(rc, err)
    return out.value.decode("ascii")


def describe_code(code: str) -> CodeInfo:
    """What the spec says about an OVO response code (``known=False`` when not in its table)."""
    raw = _c_string(code, "code")
    info = _ffi.ovo_code_describe(raw).contents  # static: never freed
    return CodeInfo(
        code=_text(info.code) or "",
        name=_text(info.name) or "",
        description=_text(info.description) or "",
        known=bool(info.known),
    )


def library_version() -> str:
    """The loaded native library's version, e.g. ``"0.1.0"``."""
    return _ffi.version()


def library_path() -> str:
    """The file the native library was loaded from."""
    return _ffi.library_path


# ---------------------------------------------------------------------------------------------
# Callbacks from library threads

_pending_lock = threading.Lock()
_pending_changed = threading.Condition(_pending_lock)
_pending: Dict[int, "Future[Payment]"] = {}
_ids = itertools.count(1)


def _settle(future: "Future[Payment]", payment: Optional[Payment], error: Optional[BaseException]) -> None:
    try:
        if error is not None:
            future.set_exception(error)
        elif payment is not None:
            future.set_result(payment)
    except concurrent.futures.InvalidStateError:
        pass  # already resolved or cancelled: nobody is waiting for this result


def _on_payment(userdata: Optional[int], address: Optional[int]) -> None:
    """The C callback: runs on a library thread, frees the payment, resolves the future.

    Nothing may propagate into C, so every exception is caught here.
    """
    try:
        with _pending_changed:
            future = _pending.pop(userdata or 0, None)
            _pending_changed.notify_all()
        payment: Optional[Payment] = None
        error: Optional[BaseException] = None
        try:
            payment = _finish(ctypes.cast(address, _ffi.payment_p) if address else None)
        except BaseException as e:  # noqa: B036 - nothing may reach C
            error = e
        if future is not None:
            _settle(future, payment, error)
    except BaseException:  # noqa: B036
        pass


# Module-level, so the trampoline lives as long as the library can call it.
_CALLBACK = _ffi.payment_callback(_on_payment)


def _running_callbacks() -> int:
    """How many threads are inside :func:`_on_payment` (or code it called) right now."""
    frames = getattr(sys, "_current_frames", None)
    if frames is None:
        return 0
    me = threading.get_ident()
    count = 0
    for ident, frame in frames().items():
        f: Optional[FrameType] = frame
        while f is not None and ident != me:
            if f.f_code is _on_payment.__code__:
                count += 1
                break
            f = f.f_back
    return count


def _wait_for_payments_in_flight() -> None:
    """At interpreter exit, wait until every callback has run and left Python.

    The library calls back on its own threads. A foreign thread that reaches for the GIL
    while the interpreter finalizes is terminated by CPython with ``pthread_exit``, which
    aborts the process when it unwinds through libovo. So exit waits, like a
    ``ThreadPoolExecutor``, for payments in flight (at most the clients' timeouts).
    """
    with _pending_changed:
        _pending_changed.wait_for(lambda: not _pending)
    # The future is resolved inside the callback; its done-callbacks (asyncio's, the
    # user's) also run there. Wait until those frames are gone as well.
    while _running_callbacks():
        time.sleep(0.001)


atexit.register(_wait_for_payments_in_flight)


def payments_in_flight() -> int:
    """How many ``push_payment_async`` calls have not delivered their result yet."""
    with _pending_lock:
        return len(_pending)


# ---------------------------------------------------------------------------------------------
# Client

ProxySetting = Union[str, Proxy, None]

_ENVIRONMENTS = {
    Environment.SANDBOX: _ffi.OVO_ENVIRONMENT_SANDBOX,
    Environment.PRODUCTION: _ffi.OVO_ENVIRONMENT_PRODUCTION,
}


class Client(Managed):
    """A configured connection to DOKU for one merchant (``ovo_client``).

    Thread-safe: share one client between threads. Close it with :meth:`close` or a ``with``
    block (it is also freed when garbage-collected). Payments in flight finish normally.

    :param client_id: the merchant's Client ID from the Jokul Back Office.
    :param secret_key: the merchant's secret key; handed to libovo, never stored or shown here.
    :param environment: ``"sandbox"`` (default) or ``"production"`` (or :class:`Environment`).
    :param base_url: overrides the environment's URL, e.g. ``"http://127.0.0.1:8080"``.
    :param timeout: total seconds one payment may take (default 90; DOKU holds up to 70).
    :param connect_timeout: seconds for DNS and for connecting (default 10).
    :param ca_file: a PEM CA bundle to use instead of the built-in roots.
    :param proxy: :attr:`Proxy.FROM_ENVIRONMENT` (default), ``None`` / :attr:`Proxy.NONE`
        for a direct connection, or a proxy URL ``"http://[user:pass@]host:port"``.
    :raises InvalidArgument: a credential or setting is invalid (``field`` names it).
    """

    _kind = "ovo_client"
    _free_fn = _ffi.ovo_client_free

    def __init__(
        self,
        client_id: str,
        secret_key: str,
        *,
        environment: Union[Environment, str] = Environment.SANDBOX,
        base_url: Optional[str] = None,
        timeout: float = 90.0,
        connect_timeout: float = 10.0,
        ca_file: Union[str, "os.PathLike[str]", None] = None,
        proxy: ProxySetting = Proxy.FROM_ENVIRONMENT,
    ) -> None:
        cid = _c_string(client_id, F_CLIENT_ID)
        key = _c_string(secret_key, F_SECRET_KEY)
        env = _environment(environment)
        url = _optional_c_string(base_url, F_BASE_URL)
        timeout_ms = _millis(timeout, F_TIMEOUT)
        connect_ms = _millis(connect_timeout, F_CONNECT_TIMEOUT)
        ca = _path(ca_file, F_CA_FILE)
        proxy_mode, proxy_url = _proxy(proxy)

        out = _ffi.client_p()
        err = _ffi.error_p()
        with _Config(_ffi.ovo_config_new()) as config, config._borrow() as c:
            for rc in (
                _ffi.ovo_config_set_environment(c, _ENVIRONMENTS[env]),
                _ffi.ovo_config_set_base_url(c, url),
                _ffi.ovo_config_set_timeout_ms(c, timeout_ms),
                _ffi.ovo_config_set_connect_timeout_ms(c, connect_ms),
                _ffi.ovo_config_set_ca_file(c, ca),
                _ffi.ovo_config_set_proxy(c, proxy_mode, proxy_url),
            ):
                if rc != _ffi.OVO_RESULT_OK:
                    raise InternalError(f"libovo refused a setting (result {rc})")
            rc = int(_ffi.ovo_client_new(cid, key, c, ctypes.byref(out), ctypes.byref(err)))
        if rc != _ffi.OVO_RESULT_OK or not out:
            raise _take_error(rc, err)
        super().__init__(out)
        self._client_id = client_id
        self._environment = env
        self._base_url = base_url

    def __repr__(self) -> str:
        state = " closed" if self.closed else ""
        url = f" base_url={self._base_url!r}" if self._base_url else ""
        return (
            f"<ovo.Client client_id={self._client_id!r} "
            f"environment={self._environment.value!r}{url}{state}>"
        )

    @property
    def client_id(self) -> str:
        """The merchant's Client ID."""
        return self._client_id

    def _closed_error(self) -> Exception:
        return InvalidArgument("client: this Client is closed", field="client")

    def push_payment(self, invoice_number: str, amount: int, ovo_id: str) -> Payment:
        """Pushes a payment to the customer's OVO app and waits for DOKU's answer.

        Blocks up to the client's ``timeout``; other Python threads keep running meanwhile.
        Sends at most one request and never retries.

        :returns: the :class:`Payment` for any answer DOKU gave: check ``payment.outcome``
            (``PAID``; ``NOT_PAID`` for FAILED; ``UNKNOWN`` for TIMEOUT: check with DOKU).
        :raises InvalidArgument: an argument broke a rule; nothing was sent.
        :raises NotSent: the request never left this machine; not paid, safe to retry.
        :raises OutcomeUnknown: no usable answer; the customer may have paid.
        :raises Rejected: DOKU refused the request (HTTP 4xx); not paid.
        :raises InternalError: a bug in libovo; outcome unknown.
        """
        inv = _c_string(invoice_number, F_INVOICE_NUMBER)
        amt = _int64(amount, F_AMOUNT)
        oid = _c_string(ovo_id, F_OVO_ID)
        out = _ffi.payment_p()
        with self._borrow() as c:
            _ffi.ovo_push_payment(c, inv, amt, oid, ctypes.byref(out))
        return _finish(out)

    def push_payment_async(
        self, invoice_number: str, amount: int, ovo_id: str
    ) -> "Future[Payment]":
        """Like :meth:`push_payment` but returns at once with a ``concurrent.futures.Future``.

        The future resolves on a library thread: with the :class:`Payment`, or with the same
        exceptions :meth:`push_payment` raises (carrying the partial payment). It cannot be
        cancelled once returned (``cancel()`` returns False): the request is already on its
        way. From asyncio: ``await asyncio.wrap_future(client.push_payment_async(...))``.
        At interpreter exit, Python waits for payments still in flight.

        :raises InvalidArgument: (at once) an argument broke a rule; nothing was sent.
        :raises NotSent: (at once) libovo could not start the payment; nothing was sent.
        """
        inv = _c_string(invoice_number, F_INVOICE_NUMBER)
        amt = _int64(amount, F_AMOUNT)
        oid = _c_string(ovo_id, F_OVO_ID)
        future: "Future[Payment]" = Future()
        future.set_running_or_notify_cancel()  # the request cannot be called back
        key = next(_ids)
        with _pending_lock:
            _pending[key] = future
        err = _ffi.error_p()
        rc = -1
        try:
            with self._borrow() as c:
                rc = int(
                    _ffi.ovo_push_payment_async(
                        c, inv, amt, oid, _CALLBACK, key, None, ctypes.byref(err)
                    )
                )
        finally:
            if rc != _ffi.OVO_RESULT_OK:  # the callback will never run
                with _pending_lock:
                    _pending.pop(key, None)
        if rc != _ffi.OVO_RESULT_OK:
            raise _take_error(rc, err)
        return future


def _environment(value: object) -> Environment:
    if isinstance(value, Environment):
        return value
    if not isinstance(value, str):
        raise _type_error(F_ENVIRONMENT, "'sandbox' or 'production'", value)
    try:
        return Environment(value)
    except ValueError:
        raise InvalidArgument(
            f"{F_ENVIRONMENT}: {value!r} is not 'sandbox' or 'production'", field=F_ENVIRONMENT
        ) from None


def _proxy(value: object) -> Tuple[int, Optional[bytes]]:
    if value is None or value is Proxy.NONE:
        return _ffi.OVO_PROXY_MODE_NONE, None
    if value is Proxy.FROM_ENVIRONMENT:
        return _ffi.OVO_PROXY_MODE_FROM_ENVIRONMENT, None
    if isinstance(value, str):
        return _ffi.OVO_PROXY_MODE_URL, _c_string(value, F_PROXY)
    raise _type_error(F_PROXY, "a URL str, None or an ovo.Proxy", value)
