"""libovo's log hook, routed to ``logging.getLogger("ovo")``.

libovo logs one line per request sent, per answer, and per error, refusal and cancel (never
the secret key, signature, checksum or phone number). The native hook is process-wide; the
binding installs it with a minimum level that follows the ``"ovo"`` logger's effective level,
re-checked at each client call (:func:`sync`, free while no level changed), so with logging
unconfigured (WARNING) an ordinary payment crosses into Python for no log line at all. Like every library logger,
``"ovo"`` has a ``NullHandler``: nothing is printed unless the application configures logging.
"""

from __future__ import annotations

import logging
import threading
from typing import Dict, Optional

from . import _ffi

#: The logger libovo's lines (and the binding's own warnings) go to.
LOGGER = logging.getLogger("ovo")
LOGGER.addHandler(logging.NullHandler())

_TO_PYTHON: Dict[int, int] = {
    _ffi.OVO_LOG_LEVEL_DEBUG: logging.DEBUG,
    _ffi.OVO_LOG_LEVEL_INFO: logging.INFO,
    _ffi.OVO_LOG_LEVEL_WARN: logging.WARNING,
    _ffi.OVO_LOG_LEVEL_ERROR: logging.ERROR,
}


def _on_log(userdata: Optional[int], level: int, message: Optional[bytes]) -> None:
    """The C callback, on any thread. Nothing may propagate into C."""
    try:
        python_level = _TO_PYTHON.get(level, logging.WARNING)
        if message is not None and LOGGER.isEnabledFor(python_level):
            LOGGER.log(python_level, message.decode("utf-8", "replace"))
    except BaseException:  # noqa: B036 - a raising handler must not reach C
        pass


# Module-level, so the trampoline lives as long as the library may call it.
_CALLBACK = _ffi.log_callback(_on_log)

_lock = threading.Lock()
_synced_level = -1  # the "ovo" logger's effective level when the hook was last set
_closed = False


def _native_level(python_level: int) -> Optional[int]:
    if python_level <= logging.DEBUG:
        return _ffi.OVO_LOG_LEVEL_DEBUG
    if python_level <= logging.INFO:
        return _ffi.OVO_LOG_LEVEL_INFO
    if python_level <= logging.WARNING:
        return _ffi.OVO_LOG_LEVEL_WARN
    if python_level <= logging.ERROR:
        return _ffi.OVO_LOG_LEVEL_ERROR
    return None  # CRITICAL or above: libovo has no such lines, turn the hook off


def sync() -> None:
    """Makes the native hook's level follow the ``"ovo"`` logger's (cheap when unchanged).

    ``logging`` empties every logger's level cache (``Logger._cache``) whenever any level
    changes (``setLevel``, ``disable``, ``dictConfig``); after a sync ours holds an entry. So a
    non-empty cache means nothing changed, checked without a Python call.
    """
    if getattr(LOGGER, "_cache", None):
        return
    _resync()


def _resync() -> None:
    LOGGER.isEnabledFor(logging.DEBUG)  # fill the cache first: a change from now on empties it
    level = logging.CRITICAL + 1 if LOGGER.disabled else LOGGER.getEffectiveLevel()
    if level == _synced_level:
        return
    # Never wait for the lock: a thread already syncing may be waiting for a running log
    # callback, which may be this very thread.
    done = False
    if _lock.acquire(blocking=False):
        try:
            done = _closed or _set_native(level)
        finally:
            _lock.release()
    if not done:  # try again at the next call
        cache = getattr(LOGGER, "_cache", None)
        if cache is not None:
            cache.clear()


def _set_native(level: int) -> bool:
    global _synced_level
    native = _native_level(level)
    # Returns INVALID_ARGUMENT (and changes nothing) inside a log callback.
    if native is None:
        rc = _ffi.ovo_set_log_callback(_ffi.OVO_LOG_LEVEL_ERROR, None, None)
    else:
        rc = _ffi.ovo_set_log_callback(native, _CALLBACK, None)
    if rc != _ffi.OVO_RESULT_OK:
        return False
    _synced_level = level
    return True


def uninstall() -> None:
    """Turns the hook off for good (interpreter exit): when this returns, no log callback is
    running and none will start, so no library thread enters Python during finalization."""
    global _closed, _synced_level
    with _lock:
        _closed = True
        _synced_level = -1
        _ffi.ovo_set_log_callback(_ffi.OVO_LOG_LEVEL_ERROR, None, None)
