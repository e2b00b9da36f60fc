"""Build hook: the wheel carries libovo.so, so it is a platform wheel, never a pure one.

Metadata lives in pyproject.toml. This file only

* copies the repository's portable libovo.so (glibc 2.17, built by ``make portable`` in
  ``target/<PORTABLE_TARGET>/release/``; default target ``x86_64-unknown-linux-gnu``) into the
  wheel as ``ovo/libovo.so``, and refuses to build a wheel without it;
* tags the wheel ``py3-none-manylinux_2_17_<arch>.manylinux2014_<arch>`` (ctypes: any
  Python 3, no ABI) with ``Root-Is-Purelib: false``.

``bash bindings/python/build-wheel.sh`` runs ``make portable``, then this, then auditwheel.
"""

from __future__ import annotations

import os
from pathlib import Path

from setuptools import Distribution, setup
from setuptools.command.build_py import build_py

try:
    from setuptools.command.bdist_wheel import bdist_wheel
except ImportError:  # setuptools < 70.1
    from wheel.bdist_wheel import bdist_wheel  # type: ignore[no-redef]

REPO = Path(__file__).resolve().parents[2]
TARGET = os.environ.get("PORTABLE_TARGET", "x86_64-unknown-linux-gnu")
ARCH = TARGET.split("-")[0]
LIBRARY = REPO / "target" / TARGET / "release" / "libovo.so"


class BuildPyWithLibrary(build_py):
    """``build_py`` that also puts the portable ``libovo.so`` into the package."""

    def run(self) -> None:
        super().run()
        if not LIBRARY.is_file():
            raise SystemExit(
                f"{LIBRARY} is missing: a wheel without libovo.so cannot work. Build the wheel "
                "with `bash bindings/python/build-wheel.sh` (it runs `make portable` first)."
            )
        self.copy_file(str(LIBRARY), os.path.join(self.build_lib, "ovo", "libovo.so"))


class BinaryDistribution(Distribution):
    """Has a native library: installs to platlib, so the wheel is not pure."""

    def has_ext_modules(self) -> bool:
        return True


class PlatformWheel(bdist_wheel):
    """``bdist_wheel`` for a ctypes package that bundles a glibc-2.17 shared library."""

    def get_tag(self) -> tuple[str, str, str]:
        return "py3", "none", f"manylinux_2_17_{ARCH}.manylinux2014_{ARCH}"


setup(
    distclass=BinaryDistribution,
    cmdclass={"build_py": BuildPyWithLibrary, "bdist_wheel": PlatformWheel},
    options={"build": {"build_base": str(REPO / "target" / "py-build")}},
)
