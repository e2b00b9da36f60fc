"""``CancelToken``: stops blocking pushes from another thread (an ``ovo_payment_handle``)."""

from __future__ import annotations

from . import _ffi
from ._errors import InvalidArgument
from ._managed import Managed


class CancelToken(Managed):
    """Cancels the wait of the blocking pushes it is given to (``push_payment(..., cancel=)``).

    Thread-safe: one thread calls :meth:`cancel` while another waits in
    :meth:`ovo.Client.push_payment`. That push then returns promptly, raising
    :class:`ovo.OutcomeUnknown` (or :class:`ovo.NotSent` if nothing had left yet) with
    ``payment.cancelled`` true: the customer may still pay in the OVO app until DOKU's window
    (70 s) ends, so check the status (:meth:`ovo.Client.check_status`) before charging again.

    One token may serve several pushes (one cancel stops them all) and stays cancelled: a
    push given a cancelled token sends nothing. Ctrl-C during a push on the main thread
    cancels the token that push was given. Close it (or let it be garbage-collected) when done.
    """

    _kind = "ovo_payment_handle"
    _free_fn = _ffi.ovo_payment_handle_free

    def __init__(self) -> None:
        super().__init__(_ffi.ovo_payment_handle_new())
        self._cancelled = False

    def cancel(self) -> None:
        """Stops the pushes using this token, now and later. Idempotent."""
        with self._borrow() as handle:
            self._cancelled = True
            _ffi.ovo_payment_cancel(handle)

    def _mark_cancelled(self) -> None:
        # Ctrl-C cancelled the handle directly (see _interrupt).
        self._cancelled = True

    def _closed_error(self) -> Exception:
        return InvalidArgument("cancel: this CancelToken is closed", field="cancel")

    @property
    def cancelled(self) -> bool:
        """True once :meth:`cancel` was called (here, or by Ctrl-C)."""
        return self._cancelled

    def __repr__(self) -> str:
        state = "closed" if self.closed else "cancelled" if self._cancelled else "armed"
        return f"<ovo.CancelToken {state}>"
