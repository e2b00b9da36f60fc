"""Ctrl-C during a blocking call on the main thread: the push's native wait is cancelled, and
the caller raises :class:`ovo.PaymentInterrupted` with the payment once the call returned.

While the main thread waits inside libovo, Python cannot run its SIGINT handler: it would run
when the call returns, up to 90 s later. So for the duration of the call the binding

* points the signal wakeup fd (``signal.set_wakeup_fd``, written by CPython's C-level handler
  the moment the signal arrives) at a socket read by a small daemon thread, which cancels the
  push's handle on a SIGINT byte (bytes of other signals are passed on to the wakeup fd that
  was set before, asyncio's for one), and
* replaces the Python-level SIGINT handler by one that only records the interrupt. libovo
  calls its log hook on the waiting thread; with the default handler, ``KeyboardInterrupt``
  would be raised inside that callback, where ctypes swallows it and prints to stderr.

Only when SIGINT has Python's default handler (``KeyboardInterrupt``): a program with its own
handler decides itself what Ctrl-C means (it can cancel with an :class:`ovo.CancelToken`).
Costs per call: four cheap signal-module calls and a lock; no thread switch.
"""

from __future__ import annotations

import importlib
import os
import signal
import socket
import threading
from types import FrameType
from typing import Any, Callable, Optional, Tuple

from . import _ffi

# The C functions: signal.signal/getsignal wrap them to map handlers to enums, 100x slower.
_sig: Any
try:
    _sig = importlib.import_module("_signal")
except ImportError:  # not CPython
    _sig = signal

_SIGINT = int(signal.SIGINT)
_get_ident = threading.get_ident
_default_handler = signal.default_int_handler


class _Watch:
    """The wakeup socket, its reader thread and the state of the main thread's call."""

    def __init__(self) -> None:
        self._reset()

    def _reset(self) -> None:
        self._main_ident = threading.main_thread().ident
        self._lock = threading.Lock()
        self._watching = False
        self._handle: Optional[int] = None
        self._on_cancel: Optional[Callable[[], None]] = None
        self._spare: Optional[int] = None
        self._interrupted = False
        self._previous_fd = -1
        self._write_fd = -1
        self._reader: Optional[socket.socket] = None
        self._writer: Optional[socket.socket] = None

    def begin_push(
        self, token: Optional[int], on_cancel: Optional[Callable[[], None]] = None
    ) -> Tuple[bool, Optional[int]]:
        """For a push: ``(watching, handle)``. ``handle`` is what to give libovo: ``token``
        (a CancelToken's handle, or None), or on the main thread without one the watch's spare
        handle (reused until a Ctrl-C cancels it). When ``watching``, SIGINT is recorded and
        cancels ``handle`` (then calls ``on_cancel``); call :meth:`end` after the native call.
        """
        if not self._eligible():
            return False, token
        if token is None:
            if self._spare is None:
                self._spare = _ffi.ovo_payment_handle_new()
            token = self._spare
        self._arm(token, on_cancel)
        return True, token

    def begin_check(self) -> bool:
        """For a status check (which cannot be cancelled): SIGINT is only recorded. Returns
        whether it is; then call :meth:`end` after the native call."""
        if not self._eligible():
            return False
        self._arm(None, None)
        return True

    def _eligible(self) -> bool:
        # Not watching already, on the main thread, SIGINT raising KeyboardInterrupt.
        return (
            not self._watching
            and _get_ident() == self._main_ident
            and _sig.getsignal(_SIGINT) is _default_handler
            and (self._write_fd >= 0 or self._start())
        )

    def _arm(self, handle: Optional[int], on_cancel: Optional[Callable[[], None]]) -> None:
        # From this call on, SIGINT never raises KeyboardInterrupt (that matters: the caller
        # must learn that it is watching, to call end()).
        _sig.signal(_SIGINT, self._record)
        self._watching = True
        with self._lock:
            self._handle = handle
            self._on_cancel = on_cancel
            self._interrupted = False
        try:
            self._previous_fd = _sig.set_wakeup_fd(self._write_fd, warn_on_full_buffer=False)
        except (ValueError, OSError):  # the fd went bad: SIGINT is still recorded
            self._previous_fd = -1

    def end(self) -> bool:
        """The call returned: SIGINT and the wakeup fd go back to what they were. Returns
        whether SIGINT came meanwhile."""
        if not self._watching:
            return False
        self._watching = False
        _sig.signal(_SIGINT, _default_handler)
        try:
            _sig.set_wakeup_fd(self._previous_fd)
        except (ValueError, OSError):
            _sig.set_wakeup_fd(-1)
        self._previous_fd = -1
        with self._lock:
            handle, self._handle, self._on_cancel = self._handle, None, None
            interrupted, self._interrupted = self._interrupted, False
        if interrupted and handle is not None and handle == self._spare:
            self._spare = None  # cancelled stays cancelled: the next push gets a new one
            _ffi.ovo_payment_handle_free(handle)
        return interrupted

    def _record(self, signum: int, frame: Optional[FrameType]) -> None:
        # The Python-level handler while watching: may run inside a log callback, so it
        # neither raises nor calls into libovo (the reader thread cancels).
        self._interrupted = True

    def _start(self) -> bool:
        try:
            reader, writer = socket.socketpair()
            writer.setblocking(False)
        except OSError:
            return False
        self._reader, self._writer = reader, writer
        self._write_fd = writer.fileno()
        threading.Thread(target=self._run, args=(reader,), name="ovo-sigint", daemon=True).start()
        return True

    def _run(self, reader: socket.socket) -> None:
        while True:
            try:
                data = reader.recv(512)
            except OSError:
                return
            if not data:
                return
            previous = self._previous_fd
            if previous >= 0:
                try:
                    os.write(previous, data)
                except OSError:
                    pass
            if _SIGINT in data:
                self._cancel()

    def _cancel(self) -> None:
        with self._lock:  # end() cannot clear (and the caller free) the handle meanwhile
            self._interrupted = True
            if self._handle is not None:
                _ffi.ovo_payment_cancel(self._handle)
                if self._on_cancel is not None:
                    self._on_cancel()

    def after_fork(self) -> None:
        """In a forked child the reader thread is gone: start afresh when needed."""
        self._reset()


watch = _Watch()
if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=watch.after_fork)
