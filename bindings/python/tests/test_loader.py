"""Finding the native library."""

from __future__ import annotations

from pathlib import Path

import pytest

from ovo import _loader
from conftest import run_python


def test_candidates_order(tmp_path: Path) -> None:
    pkg = tmp_path / "bindings" / "python" / "src" / "ovo"
    pkg.mkdir(parents=True)
    (tmp_path / "include").mkdir()
    (tmp_path / "include" / "ovo.h").write_text("")
    found = _loader.candidates({}, pkg, lambda name: "/usr/lib/libovo.so")
    origins = [origin for origin, _ in found]
    assert origins == ["package", "target/release", "system"]
    assert found[0][1] == str(pkg / "libovo.so")
    assert found[1][1] == str(tmp_path / "target" / "release" / "libovo.so")
    # OVO_LIBRARY, when set, is the only candidate.
    assert _loader.candidates({"OVO_LIBRARY": "/x/libovo.so"}, pkg) == [("OVO_LIBRARY", "/x/libovo.so")]


def test_failure_names_every_path_tried(tmp_path: Path) -> None:
    pkg = tmp_path / "bindings" / "python" / "src" / "ovo"
    pkg.mkdir(parents=True)
    (tmp_path / "include").mkdir()
    (tmp_path / "include" / "ovo.h").write_text("")
    release = tmp_path / "target" / "release"
    release.mkdir(parents=True)
    (release / "libovo.so").write_bytes(b"not a shared library")
    with pytest.raises(ImportError) as info:
        _loader.load({}, pkg, lambda name: None)
    message = str(info.value)
    assert str(pkg / "libovo.so") in message
    assert str(release / "libovo.so") in message
    assert "find_library('ovo') found nothing" in message
    # What to do, as the README says: the wheel (built by build-wheel.sh) or OVO_LIBRARY.
    assert "bash bindings/python/build-wheel.sh" in message and "wheel" in message
    assert "set OVO_LIBRARY to the library's path" in message
    assert "cargo build" not in message


def test_import_fails_with_a_clear_error() -> None:
    proc = run_python("import ovo", env={"OVO_LIBRARY": "/nonexistent/libovo.so"})
    assert proc.returncode != 0
    assert "ImportError" in proc.stderr
    assert "/nonexistent/libovo.so" in proc.stderr
    assert "no such file" in proc.stderr


def test_wrong_library_is_refused(tmp_path: Path) -> None:
    import ctypes.util

    libc = ctypes.util.find_library("c")
    if libc is None:
        pytest.skip("no libc to load")
    proc = run_python("import ovo", env={"OVO_LIBRARY": libc})
    assert proc.returncode != 0
    assert "ImportError" in proc.stderr and "ovo_version" in proc.stderr
