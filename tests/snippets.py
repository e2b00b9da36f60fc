#!/usr/bin/env python3
"""Runs every fenced code block of the READMEs, so that none can rot.

    python3 tests/snippets.py [FILE.md ...]   (default: README.md and the bindings' READMEs)

Each block runs against its own fresh ovo-sandbox, with the environment a user would set:
OVO_CLIENT_ID, OVO_SECRET_KEY, OVO_BASE_URL (the sandbox), NO_PROXY for loopback. By the
language after the opening fence:

* ``c``: a whole program (it has ``main``) is built with -std=c99 -Wall -Wextra -Werror
  -pedantic and ASan/UBSan/LSan against target/release/libovo.so, run (must exit 0), then run
  again with an empty OVO_SECRET_KEY (must exit non-zero, with no sanitizer report: the error
  path frees what it made). Any other block is compiled as the body of a function.
* ``python``: run with the binding from bindings/python/src and target/release/libovo.so.
* ``csharp`` (or ``cs``): compiled by mcs -langversion:7 -warnaserror+ against Ovo.dll built from
  bindings/csharp/src; a program (it has ``Main``) runs with libovo.so beside Ovo.dll.
* ``sh`` / ``bash``: run by ``bash -euo pipefail`` from the repository root with a scratch
  $HOME; files it leaves untracked in the repository are removed afterwards.

Blocks in RUN_BY_CI are not run here: CI runs them itself. A block in any other language fails.
Needs what tests/run-all.sh installs (cc, mcs, mono). The last line is "N passed, N failed".
"""

from __future__ import annotations

import os
import re
import select
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, List, Optional, Tuple

ROOT = Path(__file__).resolve().parents[1]
RELEASE = ROOT / "target" / "release"
DEFAULT_FILES = ["README.md", "bindings/python/README.md", "bindings/csharp/README.md"]
CLIENT_ID = "MCH-0001-10791114622547"
SECRET_KEY = "SK-9sCrJ1kdYUJAYlsJKlqz"
TIMEOUT = 600  # seconds for one step; only bounds a hang
ASAN_EXIT = 86

# README.md's first block: the demo and the whole test command, which CI runs (.ci/run runs
# tests/run-all.sh, whose "demo" suite is the first command). Matched by content, so an edit
# to the block makes it a shell block like any other, which is then refused (it names run-all.sh).
RUN_BY_CI = {
    ("README.md", ("cargo run --release --example pay", "bash tests/run-all.sh")),
}


@dataclass
class Block:
    """One fenced block: where it is, its language and its text."""

    file: str
    line: int
    lang: str
    code: str

    @property
    def where(self) -> str:
        return f"{self.file}:{self.line} {self.lang or '(no language)'}"


def blocks(path: Path, name: str) -> List[Block]:
    """The fenced blocks of a Markdown file (``` or ~~~ fences, indentation removed)."""
    found: List[Block] = []
    lines = path.read_text(encoding="utf-8").splitlines()
    i = 0
    while i < len(lines):
        m = re.match(r"^(\s*)(```+|~~~+)\s*([^\s`]*)", lines[i])
        if not m:
            i += 1
            continue
        indent, fence, lang = m.group(1), m.group(2), m.group(3).lower()
        start = i + 1
        body: List[str] = []
        i += 1
        while i < len(lines) and not lines[i].strip().startswith(fence):
            body.append(lines[i][len(indent):] if lines[i].startswith(indent) else lines[i])
            i += 1
        if i == len(lines):
            raise SystemExit(f"{name}:{start}: fenced block never closed")
        found.append(Block(name, start, lang, "\n".join(body) + "\n"))
        i += 1
    return found


def commands(code: str) -> Tuple[str, ...]:
    """A shell block's commands without comments or blank lines."""
    return tuple(c for c in (line.split("#", 1)[0].strip() for line in code.splitlines()) if c)


def run(cmd: List[str], env: Dict[str, str], cwd: Path) -> Tuple[int, str]:
    """Runs a command; returns its exit status and its output (stdout and stderr)."""
    try:
        p = subprocess.run(cmd, env=env, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           stdin=subprocess.DEVNULL, timeout=TIMEOUT)
    except subprocess.TimeoutExpired as e:
        out = e.output.decode("utf-8", "replace") if e.output else ""
        return -1, out + f"\n(timed out after {TIMEOUT} s)"
    return p.returncode, p.stdout.decode("utf-8", "replace")


class Sandbox:
    """A fresh ovo-sandbox on an OS-chosen loopback port (its first stdout line is its URL)."""

    def __init__(self, log: Path) -> None:
        self.log = log.open("wb")
        self.proc = subprocess.Popen(
            [str(RELEASE / "ovo-sandbox"), "--port", "0", "--approve-delay", "0.05", "--hold", "2"],
            stdout=subprocess.PIPE, stderr=self.log, stdin=subprocess.DEVNULL)
        assert self.proc.stdout is not None
        ready, _, _ = select.select([self.proc.stdout], [], [], 60)
        self.url = self.proc.stdout.readline().decode().strip() if ready else ""
        if not self.url.startswith("http://"):
            self.stop()
            raise RuntimeError(f"ovo-sandbox did not print its URL (log {log})")

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=30)
        self.log.close()


class Runner:
    """Builds and runs blocks in a scratch directory."""

    def __init__(self, scratch: Path) -> None:
        self.scratch = scratch
        self.count = 0
        self.ovo_dll: Optional[Path] = None

    def env(self, sandbox: Sandbox, **extra: str) -> Dict[str, str]:
        env = {k: v for k, v in os.environ.items() if k not in ("LD_LIBRARY_PATH", "OVO_LIBRARY")}
        env.update(OVO_CLIENT_ID=CLIENT_ID, OVO_SECRET_KEY=SECRET_KEY, OVO_BASE_URL=sandbox.url,
                   NO_PROXY="127.0.0.1,localhost", no_proxy="127.0.0.1,localhost",
                   PIP_DISABLE_PIP_VERSION_CHECK="1")
        env.update(extra)
        return env

    def check(self, block: Block) -> Tuple[bool, str]:
        """Runs one block: (passed, what happened or its output)."""
        if block.lang in ("sh", "bash", "shell"):
            listed = (block.file, commands(block.code)) in RUN_BY_CI
            if listed:
                return True, "run by CI itself (tests/run-all.sh)"
            if "run-all.sh" in block.code:
                return False, "a shell block that runs tests/run-all.sh must be listed in RUN_BY_CI"
        handler = {
            "c": self.c, "python": self.python, "py": self.python, "csharp": self.csharp,
            "cs": self.csharp, "sh": self.shell, "bash": self.shell, "shell": self.shell,
        }.get(block.lang)
        if handler is None:
            return False, "no handler for this language in tests/snippets.py: add one"
        self.count += 1
        work = self.scratch / f"block{self.count}"
        work.mkdir()
        sandbox = Sandbox(work / "sandbox.log")
        try:
            return handler(block, work, sandbox)
        finally:
            sandbox.stop()

    def c(self, block: Block, work: Path, sandbox: Sandbox) -> Tuple[bool, str]:
        flags = ["-std=c99", "-Wall", "-Wextra", "-Werror", "-pedantic", f"-I{ROOT / 'include'}"]
        src = work / "snippet.c"
        if not re.search(r"\bint\s+main\s*\(", block.code):
            src.write_text("#include <stdio.h>\n#include <stdlib.h>\n#include <string.h>\n"
                           "#include <ovo.h>\nint ovo_snippet(void);\nint ovo_snippet(void)\n{\n"
                           + block.code + "return 0;\n}\n")
            rc, out = run(["cc", *flags, "-fsyntax-only", str(src)], os.environ.copy(), work)
            return rc == 0, "fragment compiled as a function body" if rc == 0 else out
        src.write_text(block.code)
        exe = work / "snippet"
        rc, out = run(["cc", *flags, "-g", "-fsanitize=address,undefined", "-fno-omit-frame-pointer",
                       "-fno-sanitize-recover=undefined", str(src), "-o", str(exe),
                       f"-L{RELEASE}", "-lovo", "-lpthread", f"-Wl,-rpath,{RELEASE}"],
                      os.environ.copy(), work)
        if rc != 0:
            return False, out
        asan = dict(ASAN_OPTIONS=f"detect_leaks=1:exitcode={ASAN_EXIT}", UBSAN_OPTIONS="halt_on_error=1")
        rc, out = run([str(exe)], self.env(sandbox, **asan), work)
        if rc != 0:
            return False, f"exit {rc}\n{out}"
        rc2, out2 = run([str(exe)], self.env(sandbox, OVO_SECRET_KEY="", **asan), work)
        if rc2 in (0, ASAN_EXIT) or "Sanitizer" in out2:
            return False, f"with an empty OVO_SECRET_KEY: exit {rc2}\n{out2}"
        return True, f"built with ASan, ran (exit 0); error path: exit {rc2}, no leak"

    def python(self, block: Block, work: Path, sandbox: Sandbox) -> Tuple[bool, str]:
        (work / "snippet.py").write_text(block.code)
        env = self.env(sandbox, PYTHONPATH=str(ROOT / "bindings" / "python" / "src"),
                       OVO_LIBRARY=str(RELEASE / "libovo.so"))
        rc, out = run([sys.executable, "snippet.py"], env, work)
        return rc == 0, f"ran (exit 0): {last_line(out)}" if rc == 0 else f"exit {rc}\n{out}"

    def csharp(self, block: Block, work: Path, sandbox: Sandbox) -> Tuple[bool, str]:
        dll = self.build_ovo_dll()
        src = work / "Snippet.cs"
        src.write_text(block.code)
        program = re.search(r"\bstatic\s+(async\s+)?\S+\s+Main\s*\(", block.code) is not None
        out_file = dll.parent / (f"Snippet{self.count}." + ("exe" if program else "dll"))
        rc, out = run(["mcs", "-langversion:7", "-warnaserror+", f"-r:{dll}",
                       "-target:" + ("exe" if program else "library"), f"-out:{out_file}", str(src)],
                      os.environ.copy(), work)
        if rc != 0 or not program:
            return rc == 0, "compiled (library)" if rc == 0 else out
        rc, out = run(["mono", str(out_file)], self.env(sandbox), work)
        return rc == 0, f"compiled, ran (exit 0): {last_line(out)}" if rc == 0 else f"exit {rc}\n{out}"

    def build_ovo_dll(self) -> Path:
        if self.ovo_dll is None:
            lib = self.scratch / "csharp"
            lib.mkdir()
            dll = lib / "Ovo.dll"
            sources = sorted(str(p) for p in (ROOT / "bindings" / "csharp" / "src").glob("*.cs"))
            rc, out = run(["mcs", "-langversion:7", "-target:library", f"-out:{dll}", *sources],
                          os.environ.copy(), lib)
            if rc != 0:
                raise SystemExit(f"cannot build Ovo.dll:\n{out}")
            shutil.copy(RELEASE / "libovo.so", lib / "libovo.so")  # where DllImport finds it
            self.ovo_dll = dll
        return self.ovo_dll

    def shell(self, block: Block, work: Path, sandbox: Sandbox) -> Tuple[bool, str]:
        (work / "snippet.sh").write_text(block.code)
        home = work / "home"
        home.mkdir()
        real_home = os.environ.get("HOME", "/root")
        env = self.env(sandbox, HOME=str(home),
                       CARGO_HOME=os.environ.get("CARGO_HOME", f"{real_home}/.cargo"),
                       RUSTUP_HOME=os.environ.get("RUSTUP_HOME", f"{real_home}/.rustup"))
        before = untracked()
        rc, out = run(["bash", "-euo", "pipefail", str(work / "snippet.sh")], env, ROOT)
        left = sorted(untracked() - before)
        for name in left:
            path = ROOT / name
            if path.is_file() or path.is_symlink():
                path.unlink()
        tidy = f"; removed what it left in the repository: {' '.join(left)}" if left else ""
        return rc == 0, f"ran (exit 0){tidy}" if rc == 0 else f"exit {rc}\n{out}{tidy}"


def untracked() -> set:
    """Untracked, not ignored files of the repository (empty outside a git checkout)."""
    p = subprocess.run(["git", "ls-files", "--others", "--exclude-standard", "-z"], cwd=ROOT,
                       stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    return set(filter(None, p.stdout.decode().split("\0"))) if p.returncode == 0 else set()


def last_line(out: str) -> str:
    lines = [line for line in out.splitlines() if line.strip()]
    return lines[-1][:100] if lines else "(no output)"


def main(argv: List[str]) -> int:
    files = argv or DEFAULT_FILES
    if not (RELEASE / "libovo.so").is_file() or not (RELEASE / "ovo-sandbox").is_file():
        subprocess.run(["cargo", "build", "--release", "--workspace"], cwd=ROOT, check=True)
    passed = failed = 0
    with tempfile.TemporaryDirectory(prefix="ovo-snippets-") as scratch:
        runner = Runner(Path(scratch))
        for name in files:
            for block in blocks(ROOT / name, name):
                ok, what = runner.check(block)
                if ok:
                    passed += 1
                    print(f"   ok    {block.where}: {what}", flush=True)
                else:
                    failed += 1
                    shown = "\n".join("         " + line for line in what.splitlines()[-60:])
                    print(f"   FAIL  {block.where}\n{shown}", flush=True)
    print(f"{passed} passed, {failed} failed")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
