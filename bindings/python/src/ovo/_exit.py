"""What interpreter exit does, in order: no libovo thread may enter Python after it.

1. Cancel the async payments still in flight and wait for their callbacks (within 100 ms).
2. Turn the log hook off (when that returns, no log callback runs or will run).

Blocking pushes need nothing: a thread inside one is a Python thread, which CPython joins
(or, as a daemon, stops outside libovo's frames).
"""

from __future__ import annotations

import atexit

from . import _async, _log


def _at_exit() -> None:
    try:
        _async.abandon_at_exit()
    finally:
        _log.uninstall()


atexit.register(_at_exit)
