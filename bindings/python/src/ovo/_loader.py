"""Finds and loads the native libovo library.

Candidates, in order (the first one that loads and has the expected version wins):

1. the file named by the ``OVO_LIBRARY`` environment variable; when it is set, it is the
   only candidate, so a typo never silently loads some other copy;
2. the copy shipped inside this package (``ovo/libovo.so``, ``.dylib`` or ``ovo.dll``);
3. the repository's ``target/release`` (when running from a source checkout);
4. the system search path (``ctypes.util.find_library("ovo")``).

If none loads, one :class:`ImportError` lists every path tried and why it failed.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import sys
from pathlib import Path
from typing import Callable, List, Mapping, Optional, Sequence, Tuple

#: The environment variable naming the library file to load.
ENV_VAR = "OVO_LIBRARY"

#: The libovo version this binding was written for (``OVO_VERSION_STRING`` in ovo.h).
#: Any library with the same major and minor version is accepted.
EXPECTED_VERSION = (0, 1)

_PACKAGE_DIR = Path(__file__).resolve().parent


def library_file_names() -> Tuple[str, ...]:
    """The file names the native library has on this platform."""
    if sys.platform == "win32":
        return ("ovo.dll",)
    if sys.platform == "darwin":
        return ("libovo.dylib",)
    return ("libovo.so",)


def _repo_release_dir(package_dir: Path) -> Optional[Path]:
    # bindings/python/src/ovo -> the repository root is four levels up.
    parents = package_dir.parents
    if len(parents) < 4:
        return None
    root = parents[3]
    if not (root / "include" / "ovo.h").is_file():
        return None
    return root / "target" / "release"


def candidates(
    environ: Mapping[str, str],
    package_dir: Path = _PACKAGE_DIR,
    find_library: Callable[[str], Optional[str]] = ctypes.util.find_library,
) -> List[Tuple[str, str]]:
    """The ``(origin, path)`` pairs to try, in order."""
    explicit = environ.get(ENV_VAR)
    if explicit:
        return [(ENV_VAR, explicit)]
    found: List[Tuple[str, str]] = []
    for name in library_file_names():
        found.append(("package", str(package_dir / name)))
    release = _repo_release_dir(package_dir)
    if release is not None:
        for name in library_file_names():
            found.append(("target/release", str(release / name)))
    system = find_library("ovo")
    if system:
        found.append(("system", system))
    else:
        found.append(("system", "find_library('ovo') found nothing"))
    return found


def _check_version(lib: ctypes.CDLL) -> None:
    fn = lib.ovo_version
    fn.argtypes = []
    fn.restype = ctypes.c_char_p
    raw = fn()
    text = raw.decode("ascii", "replace") if isinstance(raw, bytes) else "?"
    parts = text.split(".")
    try:
        have = (int(parts[0]), int(parts[1]))
    except (IndexError, ValueError):
        raise OSError(f"unreadable ovo_version() {text!r}") from None
    if have != EXPECTED_VERSION:
        want = ".".join(map(str, EXPECTED_VERSION))
        raise OSError(f"libovo {text} is not compatible with this binding (needs {want}.x)")


def load(
    environ: Optional[Mapping[str, str]] = None,
    package_dir: Path = _PACKAGE_DIR,
    find_library: Callable[[str], Optional[str]] = ctypes.util.find_library,
) -> Tuple[ctypes.CDLL, str]:
    """Loads the first working candidate; returns the library and its path."""
    env = os.environ if environ is None else environ
    tried: List[str] = []
    for origin, path in candidates(env, package_dir, find_library):
        if origin == "system" and path.startswith("find_library("):
            tried.append(f"  {origin}: {path}")
            continue
        if os.path.dirname(path) and not os.path.exists(path):  # bare names go to dlopen
            tried.append(f"  {origin}: {path}: no such file")
            continue
        try:
            lib = ctypes.CDLL(path)
            _check_version(lib)
        except (OSError, AttributeError) as e:
            tried.append(f"  {origin}: {path}: {e}")
            continue
        return lib, path
    raise ImportError(_failure_message(tried))


def _failure_message(tried: Sequence[str]) -> str:
    return (
        "cannot load the native libovo library; tried, in order:\n"
        + "\n".join(tried)
        + "\nInstall the ovo wheel, which has libovo inside (from a checkout of the repository,"
        " `bash bindings/python/build-wheel.sh` builds it into target/wheels/), or set"
        f" {ENV_VAR} to the library's path."
    )
