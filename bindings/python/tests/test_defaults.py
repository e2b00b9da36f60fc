"""Issue 13: a Client given no timeouts uses libovo's own defaults (the binding passes nothing),
reads back the timeouts in use, and its docs say libovo's numbers."""

from __future__ import annotations

import inspect
import re
from typing import Tuple

import ovo
from ovo import _ffi
from conftest import CLIENT_ID, REPO, SECRET_KEY


def libovo_defaults() -> Tuple[float, float, float]:
    """Push, connect and status-check timeouts of a fresh ``ovo_config_new()``, in seconds."""
    config = _ffi.ovo_config_new()
    try:
        ms = (
            _ffi.ovo_config_timeout_ms(config),
            _ffi.ovo_config_connect_timeout_ms(config),
            _ffi.ovo_config_status_timeout_ms(config),
        )
    finally:
        _ffi.ovo_config_free(config)
    return (ms[0] / 1000, ms[1] / 1000, ms[2] / 1000)


def in_use(client: ovo.Client) -> Tuple[float, float, float]:
    return (client.timeout, client.connect_timeout, client.status_timeout)


def test_libovo_defaults_are_90_10_and_30_seconds() -> None:
    assert libovo_defaults() == (90.0, 10.0, 30.0)


def test_a_client_given_no_timeouts_uses_libovos_defaults() -> None:
    parameters = inspect.signature(ovo.Client).parameters
    for name in ("timeout", "connect_timeout", "status_timeout"):
        assert parameters[name].default is None, f"{name}: the binding must pass nothing"
    for kwargs in ({}, {"timeout": None, "connect_timeout": None, "status_timeout": None}):
        with ovo.Client(CLIENT_ID, SECRET_KEY, **kwargs) as client:  # type: ignore[arg-type]
            assert in_use(client) == libovo_defaults()


def test_given_timeouts_are_the_ones_in_use() -> None:
    with ovo.Client(
        CLIENT_ID, SECRET_KEY, timeout=61, connect_timeout=2.5, status_timeout=0.2
    ) as client:
        assert in_use(client) == (61.0, 2.5, 0.2)
    with ovo.Client(CLIENT_ID, SECRET_KEY, timeout=5) as client:  # only one given
        assert in_use(client) == (5.0,) + libovo_defaults()[1:]


def test_the_docs_say_libovos_defaults() -> None:
    want = "libovo's defaults: %g s, %g s and %g s" % libovo_defaults()
    readme = re.sub(r"\s+", " ", (REPO / "bindings" / "python" / "README.md").read_text())
    assert want in readme
    doc = re.sub(r"\s+", " ", ovo.Client.__doc__ or "")
    push, connect, status = libovo_defaults()
    assert f"libovo's default, {push:g} s" in doc
    assert f"libovo's ({connect:g} s)" in doc and f"libovo's ({status:g} s)" in doc
