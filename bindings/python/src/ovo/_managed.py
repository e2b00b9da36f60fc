"""Small owners of native handles: close(), context manager, freed on garbage collection.

A handle is freed exactly once. Calls that use it borrow it (``_acquire()`` ... ``_unborrow()``,
or the ``_borrow()`` context manager off the hot paths); ``close()`` while a borrow is active
(another thread inside a blocking payment) defers the free until the last borrow ends, so a
handle is never freed under a running native call.
"""

from __future__ import annotations

import threading
from contextlib import contextmanager
from typing import Any, Callable, ClassVar, Dict, Iterator, Optional, TypeVar

_counts_lock = threading.Lock()
_counts: Dict[str, int] = {}


def live_handles() -> Dict[str, int]:
    """How many native objects of each kind this process currently owns (for leak tests)."""
    with _counts_lock:
        return {k: v for k, v in _counts.items() if v}


def _count(kind: str, delta: int) -> None:
    with _counts_lock:
        _counts[kind] = _counts.get(kind, 0) + delta


M = TypeVar("M", bound="Managed")


class Managed:
    """Owns one non-NULL native pointer and the function that frees it."""

    _kind: ClassVar[str] = "object"
    _free_fn: ClassVar[Optional[Callable[[Any], None]]] = None

    def __init__(self, ptr: Any) -> None:
        if not ptr:
            raise ValueError(f"NULL {self._kind} handle")
        self._ptr: Any = ptr
        self._lock = threading.Lock()
        self._borrows = 0
        self._closed = False
        _count(self._kind, 1)

    @property
    def closed(self) -> bool:
        """True once ``close()`` was called."""
        return self._closed

    def _release(self) -> None:
        # Called with the lock held, once closed and no borrow is active.
        ptr, self._ptr = self._ptr, None
        if ptr is not None:
            free = type(self)._free_fn
            if free is not None:
                free(ptr)
            _count(self._kind, -1)

    def close(self) -> None:
        """Frees the native object (later, if a call is still using it). Idempotent."""
        lock = getattr(self, "_lock", None)
        if lock is None:  # __init__ failed before the handle was owned
            return
        with lock:
            if self._closed:
                return
            self._closed = True
            if self._borrows == 0:
                self._release()

    def _closed_error(self) -> Exception:
        return ValueError(f"this {self._kind} is closed")

    def _acquire(self) -> Any:
        """Borrows the handle (raises if closed); pair every call with :meth:`_unborrow`."""
        with self._lock:
            if self._closed:
                raise self._closed_error()
            self._borrows += 1
            return self._ptr

    def _unborrow(self) -> None:
        """Ends a borrow; frees the handle if it was closed meanwhile and this was the last."""
        with self._lock:
            self._borrows -= 1
            if self._closed and self._borrows == 0:
                self._release()

    @contextmanager
    def _borrow(self) -> Iterator[Any]:
        ptr = self._acquire()
        try:
            yield ptr
        finally:
            self._unborrow()

    def __enter__(self: M) -> M:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __del__(self) -> None:
        try:
            self.close()
        except Exception:  # interpreter shutdown: nothing useful left to do
            pass
