"""Client construction, settings, lifetime and repr."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest

import ovo
from ovo._managed import live_handles
from conftest import CLIENT_ID, SECRET_KEY


def test_defaults_and_repr_hide_the_secret() -> None:
    with ovo.Client(CLIENT_ID, SECRET_KEY) as client:
        text = repr(client)
        assert CLIENT_ID in text and "sandbox" in text
        assert SECRET_KEY not in text and SECRET_KEY not in str(vars(client))
        assert client.client_id == CLIENT_ID
    assert "closed" in repr(client)


def test_all_settings_accepted(tmp_path: Path) -> None:
    client = ovo.Client(
        CLIENT_ID,
        SECRET_KEY,
        environment=ovo.Environment.PRODUCTION,
        base_url="http://127.0.0.1:9",
        timeout=5,
        connect_timeout=0.5,
        proxy="http://user:pass@127.0.0.1:3128",
    )
    client.close()
    ovo.Client(CLIENT_ID, SECRET_KEY, environment="production", proxy=ovo.Proxy.NONE).close()
    ovo.Client(CLIENT_ID, SECRET_KEY, proxy=None).close()
    # A connect timeout longer than the total one is cut to it, not refused.
    ovo.Client(CLIENT_ID, SECRET_KEY, timeout=5, connect_timeout=10).close()


@pytest.mark.parametrize(
    "kwargs, field",
    [
        ({"environment": "staging"}, "environment"),
        ({"base_url": "ftp://example.com"}, "base_url"),
        ({"base_url": "http://a\x00b"}, "base_url"),
        ({"base_url": "http://127.0.0.1:9/ovo-emoney/v1/payment"}, "base_url"),
        ({"timeout": 0}, "timeout"),
        ({"timeout": -1}, "timeout"),
        ({"timeout": float("nan")}, "timeout"),
        ({"timeout": float("inf")}, "timeout"),
        ({"timeout": 601}, "timeout"),
        ({"connect_timeout": 601}, "connect_timeout"),
        ({"ca_file": "/nonexistent/ca.pem"}, "ca_file"),
        ({"proxy": "::not a url"}, "proxy"),
    ],
)
def test_invalid_settings_name_the_field(kwargs: dict, field: str) -> None:
    with pytest.raises(ovo.InvalidArgument) as info:
        ovo.Client(CLIENT_ID, SECRET_KEY, **kwargs)
    assert info.value.field == field
    assert SECRET_KEY not in str(info.value)


@pytest.mark.parametrize(
    "args, kwargs, field",
    [
        ((None, SECRET_KEY), {}, "client.id"),
        ((CLIENT_ID, None), {}, "secret_key"),
        ((CLIENT_ID, b"key"), {}, "secret_key"),
        ((CLIENT_ID, SECRET_KEY), {"timeout": "90"}, "timeout"),
        ((CLIENT_ID, SECRET_KEY), {"timeout": True}, "timeout"),
        ((CLIENT_ID, SECRET_KEY), {"environment": 1}, "environment"),
        ((CLIENT_ID, SECRET_KEY), {"proxy": 3128}, "proxy"),
        ((CLIENT_ID, SECRET_KEY), {"ca_file": 1}, "ca_file"),
    ],
)
def test_wrong_types(args: tuple, kwargs: dict, field: str) -> None:
    with pytest.raises(ovo.ArgumentTypeError) as info:
        ovo.Client(*args, **kwargs)
    assert info.value.field == field


@pytest.mark.parametrize("key", ["", "K" * 257, "bad\x00key"])
def test_bad_secret_key_never_shown(key: str) -> None:
    with pytest.raises(ovo.InvalidArgument) as info:
        ovo.Client(CLIENT_ID, key)
    assert info.value.field == "secret_key"
    if key:
        assert key not in str(info.value) and key not in repr(info.value)


def test_ca_file_accepts_pathlike(tmp_path: Path) -> None:
    missing = tmp_path / "missing.pem"
    with pytest.raises(ovo.InvalidArgument) as info:
        ovo.Client(CLIENT_ID, SECRET_KEY, ca_file=missing)
    assert info.value.field == "ca_file"


def test_close_is_idempotent_and_use_after_close_raises() -> None:
    before = live_handles().get("ovo_client", 0)
    client = ovo.Client(CLIENT_ID, SECRET_KEY)
    assert live_handles().get("ovo_client", 0) == before + 1
    client.close()
    client.close()
    assert client.closed
    assert live_handles().get("ovo_client", 0) == before
    with pytest.raises(ovo.InvalidArgument) as info:
        client.push_payment("INV-1", 1000, "081211111111")
    assert info.value.field == "client"
    with pytest.raises(ovo.InvalidArgument):
        client.push_payment_async("INV-1", 1000, "081211111111")


def test_garbage_collection_frees_the_client() -> None:
    before = live_handles().get("ovo_client", 0)
    ovo.Client(CLIENT_ID, SECRET_KEY)
    gc.collect()
    assert live_handles().get("ovo_client", 0) == before


def test_failed_construction_leaks_nothing() -> None:
    before = live_handles()
    for _ in range(100):
        with pytest.raises(ovo.InvalidArgument):
            ovo.Client(CLIENT_ID, SECRET_KEY, timeout=0)
    gc.collect()
    assert live_handles() == before
