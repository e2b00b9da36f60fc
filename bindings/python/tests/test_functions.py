"""ovo.checksum, ovo.describe_code and argument handling (no network)."""

from __future__ import annotations

import hashlib

import pytest

import ovo
from conftest import CLIENT_ID, SECRET_KEY

SPEC_ARGS = (10000, CLIENT_ID, "MINV20201231468", "081211111111", SECRET_KEY)


def test_checksum_matches_the_spec_formula() -> None:
    expected = hashlib.sha256(
        b"10000MCH-0001-10791114622547MINV20201231468081211111111SK-9sCrJ1kdYUJAYlsJKlqz"
    ).hexdigest()
    assert ovo.checksum(*SPEC_ARGS) == expected


def test_version_and_path() -> None:
    assert ovo.library_version().startswith("0.1.")
    assert ovo.library_path()


@pytest.mark.parametrize(
    "index, value, field",
    [
        (0, 0, "order.amount"),
        (0, -5, "order.amount"),
        (0, 10**12, "order.amount"),  # oversize: 13 digits
        (0, 2**63, "order.amount"),  # does not fit int64_t
        (0, -(2**64), "order.amount"),
        (1, "", "client.id"),
        (1, "C" * 129, "client.id"),
        (2, "", "order.invoice_number"),
        (2, "I" * 65, "order.invoice_number"),
        (2, "INV-é", "order.invoice_number"),  # non-ASCII
        (2, "INV-\ud800", "order.invoice_number"),  # lone surrogate: not UTF-8
        (2, "INV-\x00-1", "order.invoice_number"),  # cannot be a C string
        (3, "12345", "ovo_info.ovo_id"),
        (3, "0812abc11111", "ovo_info.ovo_id"),
        (3, "０８１２１１１１１１１１", "ovo_info.ovo_id"),  # full-width digits
        (3, "0" * 16, "ovo_info.ovo_id"),
        (4, "", "secret_key"),
        (4, "S" * 257, "secret_key"),
        (4, "SK-\x00", "secret_key"),
    ],
)
def test_checksum_invalid_arguments_name_the_field(index: int, value: object, field: str) -> None:
    args = list(SPEC_ARGS)
    args[index] = value
    with pytest.raises(ovo.InvalidArgument) as info:
        ovo.checksum(*args)  # type: ignore[arg-type]
    err = info.value
    assert err.field == field
    assert err.result is ovo.Result.INVALID_ARGUMENT
    assert field in str(err)
    assert isinstance(err, ovo.OvoError) and isinstance(err, ValueError)
    assert SECRET_KEY not in str(err) and SECRET_KEY not in repr(err)
    if index == 4 and isinstance(value, str) and value:
        assert value not in str(err)


@pytest.mark.parametrize(
    "index, value, field",
    [
        (0, True, "order.amount"),
        (0, 10000.0, "order.amount"),
        (0, "10000", "order.amount"),
        (0, None, "order.amount"),
        (1, None, "client.id"),
        (2, b"INV-1", "order.invoice_number"),
        (3, 81211111111, "ovo_info.ovo_id"),
        (4, None, "secret_key"),
    ],
)
def test_checksum_wrong_types(index: int, value: object, field: str) -> None:
    args = list(SPEC_ARGS)
    args[index] = value
    with pytest.raises(ovo.ArgumentTypeError) as info:
        ovo.checksum(*args)  # type: ignore[arg-type]
    assert info.value.field == field
    assert isinstance(info.value, TypeError)
    assert isinstance(info.value, ovo.InvalidArgument)


def test_describe_known_code() -> None:
    info = ovo.describe_code("17")
    assert info == ovo.CodeInfo("17", "Transaction Decline", info.description, True)
    assert "cancel" in info.description.lower()
    assert ovo.describe_code("00").known


@pytest.mark.parametrize("code", ["zz", "", "1" * 1000, "é", "\ud800"])
def test_describe_unknown_code(code: str) -> None:
    info = ovo.describe_code(code)
    assert not info.known
    assert info.code == "??"
    assert info.name


def test_describe_code_bad_input() -> None:
    with pytest.raises(ovo.ArgumentTypeError):
        ovo.describe_code(None)  # type: ignore[arg-type]
    with pytest.raises(ovo.ArgumentTypeError):
        ovo.describe_code(17)  # type: ignore[arg-type]
    with pytest.raises(ovo.InvalidArgument) as info:
        ovo.describe_code("1\x007")
    assert info.value.field == "code"
