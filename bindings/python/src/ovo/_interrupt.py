"""Ctrl-C during a blocking push on the main thread cancels the push's native wait.

While the main thread waits inside libovo, Python cannot run its SIGINT handler: it runs when
the call returns, which could be 90 s later. So for the duration of the call the binding
points the signal wakeup fd (``signal.set_wakeup_fd``, written by CPython's C-level handler
at the moment the signal arrives) at a socket read by a small daemon thread. On a SIGINT byte
that thread cancels the push's handle; the push returns promptly with a cancelled, UNKNOWN
payment, and ``KeyboardInterrupt`` is raised right after the call (the caller turns it into
:class:`ovo.PaymentInterrupted` carrying that payment). Bytes of other signals are passed on
to the wakeup fd that was set before (asyncio's, for one).

Only when SIGINT has Python's default handler (``KeyboardInterrupt``): a program with its own
handler decides itself what Ctrl-C means (it can cancel with an :class:`ovo.CancelToken`).
Costs per push: two ``set_wakeup_fd`` calls and a lock; no thread switch.
"""

from __future__ import annotations

import os
import signal
import socket
import threading
from typing import Callable, Optional

from . import _ffi

_SIGINT = int(signal.SIGINT)
# signal.getsignal wraps the C function to map handlers to enums, at ~100x the cost.
_getsignal: Callable[[int], object] = getattr(signal.getsignal, "__wrapped__", signal.getsignal)
_default_handler = signal.default_int_handler


class _Watch:
    """The wakeup socket, its reader thread and the handle of the main thread's push."""

    def __init__(self) -> None:
        self._reset()

    def _reset(self) -> None:
        self._lock = threading.Lock()
        self._handle: Optional[int] = None
        self._on_cancel: Optional[Callable[[], None]] = None
        self._previous_fd = -1
        self._write_fd = -1
        self._reader: Optional[socket.socket] = None
        self._writer: Optional[socket.socket] = None

    def begin(self, handle: int, on_cancel: Optional[Callable[[], None]] = None) -> bool:
        """On the main thread with the default SIGINT handler: SIGINT now cancels ``handle``
        (and calls ``on_cancel``). Returns whether it did. Call ``end(handle)`` after the push
        in any case (it does nothing when this did nothing).
        """
        if (
            self._handle is not None
            or threading.current_thread() is not threading.main_thread()
            or _getsignal(_SIGINT) is not _default_handler
        ):
            return False
        if self._write_fd < 0 and not self._start():
            return False
        with self._lock:
            self._handle = handle
            self._on_cancel = on_cancel
        try:
            self._previous_fd = signal.set_wakeup_fd(self._write_fd, warn_on_full_buffer=False)
        except (ValueError, OSError):  # not the main interpreter, or the fd went bad
            with self._lock:
                self._handle = self._on_cancel = None
            return False
        return True

    def end(self, handle: int) -> None:
        """The push of ``handle`` returned: signals go back where they went before."""
        if self._handle != handle or threading.current_thread() is not threading.main_thread():
            return
        try:
            signal.set_wakeup_fd(self._previous_fd)
        except (ValueError, OSError):
            signal.set_wakeup_fd(-1)
        self._previous_fd = -1
        with self._lock:
            self._handle = self._on_cancel = None

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
