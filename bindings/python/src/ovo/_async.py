"""``push_payment_async``: futures resolved from libovo's callback thread, cancellable.

Each future is registered under an integer key passed to libovo as ``userdata``; the C
callback (on the client's dispatcher thread) looks the future up, frees the native cancel
handle and resolves the future with the payment, or with its exception. ``Future.cancel()``
cancels the native wait instead of dropping the result: the callback then comes within
100 ms with the cancelled, UNKNOWN payment, so the invoice is never lost.
"""

from __future__ import annotations

import ctypes
import itertools
import os
import sys
import threading
import time
from concurrent.futures import Future, InvalidStateError
from types import FrameType
from typing import TYPE_CHECKING, Dict, List, Optional

from . import _ffi, _log
from ._functions import take_error
from ._payment import finish
from ._types import Payment

if TYPE_CHECKING:
    _FutureBase = Future[Payment]
else:
    _FutureBase = Future


class PaymentFuture(_FutureBase):
    """The ``concurrent.futures.Future`` of one :meth:`ovo.Client.push_payment_async`.

    It resolves on a libovo thread with the :class:`~ovo.Payment`, or with the exception
    :meth:`ovo.Client.push_payment` would raise (carrying the payment), refusals such as
    :class:`ovo.InFlight` included.

    :meth:`cancel` does not drop the result: it cancels the native wait, and the future then
    resolves (within 100 ms) like any other, usually raising :class:`ovo.OutcomeUnknown` whose
    ``payment.cancelled`` is true, or :class:`ovo.NotSent` if nothing had left. The customer
    may still pay in the OVO app: check the status before charging again. So ``cancelled()``
    stays False and ``result()`` never raises ``CancelledError``. From asyncio, cancelling a
    task awaiting ``asyncio.wrap_future(future)`` cancels this future the same way; keep the
    future to read the payment afterwards (``await asyncio.wrap_future(future)`` again).
    """

    def __init__(self, invoice_number: str) -> None:
        super().__init__()
        #: The invoice being pushed.
        self.invoice_number = invoice_number
        self._handle_lock = threading.Lock()
        self._handle: Optional[int] = None
        self._delivered = False
        self._cancel_requested = False

    def cancel(self) -> bool:
        """Cancels the native wait; the future still resolves, with the cancelled payment.

        Returns True when the payment was still in flight (its result, usually UNKNOWN, comes
        within 100 ms; DOKU's answer wins if it came first), False when it had ended already.
        """
        with self._handle_lock:
            if self._delivered:
                return False
            self._cancel_requested = True
            if self._handle is not None:
                _ffi.ovo_payment_cancel(self._handle)
        return True

    def _attach(self, handle: Optional[int]) -> None:
        """The native call returned this cancel handle (after the callback, perhaps)."""
        if not handle:
            return
        with self._handle_lock:
            if not self._delivered:
                self._handle = handle
                if self._cancel_requested:
                    _ffi.ovo_payment_cancel(handle)
                return
        _ffi.ovo_payment_handle_free(handle)

    def _detach(self) -> None:
        """The callback came: the handle is no longer needed."""
        with self._handle_lock:
            self._delivered = True
            handle, self._handle = self._handle, None
        if handle is not None:
            _ffi.ovo_payment_handle_free(handle)


_pending_lock = threading.Lock()
_pending_changed = threading.Condition(_pending_lock)
_pending: Dict[int, PaymentFuture] = {}
_ids = itertools.count(1)


def _settle(
    future: PaymentFuture, payment: Optional[Payment], error: Optional[BaseException]
) -> None:
    try:
        if error is not None:
            future.set_exception(error)
        elif payment is not None:
            future.set_result(payment)
    except InvalidStateError:
        pass  # already resolved: nobody is waiting for this result


def _on_payment(userdata: Optional[int], address: Optional[int]) -> None:
    """The C callback: runs on a library thread, owns the payment, resolves the future.

    Nothing may propagate into C, so every exception is caught here.
    """
    try:
        with _pending_changed:
            future = _pending.pop(userdata or 0, None)
            _pending_changed.notify_all()
        payment: Optional[Payment] = None
        error: Optional[BaseException] = None
        try:
            payment = finish(address)
        except BaseException as e:  # noqa: B036 - nothing may reach C
            error = e
        if future is not None:
            future._detach()
            _settle(future, payment, error)
    except BaseException:  # noqa: B036
        pass


# Module-level, so the trampoline lives as long as the library can call it.
_CALLBACK = _ffi.payment_callback(_on_payment)


def submit(
    client: int, invoice: bytes, amount: int, ovo_id: bytes, invoice_number: str
) -> PaymentFuture:
    """Starts one async push on the (borrowed) client; raises if libovo refused to start it."""
    future = PaymentFuture(invoice_number)
    future.set_running_or_notify_cancel()
    key = next(_ids)
    with _pending_lock:
        _pending[key] = future
    handle = ctypes.c_void_p()
    err = ctypes.c_void_p()
    rc = -1
    try:
        rc = _ffi.ovo_push_payment_async(
            client, invoice, amount, ovo_id, _CALLBACK, key, ctypes.byref(handle), ctypes.byref(err)
        )
    finally:
        if rc != _ffi.OVO_RESULT_OK:  # the callback will never run
            with _pending_changed:
                _pending.pop(key, None)
                _pending_changed.notify_all()
    if rc != _ffi.OVO_RESULT_OK:
        raise take_error(rc, err.value)
    future._attach(handle.value)
    return future


def _forget_after_fork() -> None:
    """In a forked child, libovo's threads are gone: the parent's payments never call back
    here, so exit must not wait for them (nor for locks a parent thread may have held)."""
    global _pending_lock, _pending_changed, _pending
    _pending_lock = threading.Lock()
    _pending_changed = threading.Condition(_pending_lock)
    _pending = {}


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_after_fork)


def payments_in_flight() -> int:
    """How many ``push_payment_async`` calls have not delivered their result yet."""
    with _pending_lock:
        return len(_pending)


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


def abandon_at_exit() -> None:
    """At interpreter exit: cancel every payment still in flight and wait for its callback.

    A library thread that reaches for the GIL while the interpreter finalizes is terminated
    by CPython with ``pthread_exit``, which aborts the process when it unwinds through libovo.
    So exit cancels the waits (each callback then comes within 100 ms, with an UNKNOWN
    payment), logs the invoices left unknown, and waits until every callback has run and
    left Python (done-callbacks of the futures included).
    """
    with _pending_lock:
        abandoned: List[PaymentFuture] = list(_pending.values())
    for future in abandoned:
        future.cancel()
    if abandoned:
        invoices = ", ".join(f.invoice_number for f in abandoned)
        _log.LOGGER.warning(
            "interpreter exit: cancelled the wait of %d payment(s) in flight (invoice %s); "
            "the customer may still pay: check their status before charging again",
            len(abandoned),
            invoices,
        )
    with _pending_changed:
        _pending_changed.wait_for(lambda: not _pending)
    while _running_callbacks():
        time.sleep(0.001)
