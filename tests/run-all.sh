#!/usr/bin/env bash
# Runs every test suite of libovo: lint, header check, Rust (library and sandbox), C (plain,
# ASan/LSan, valgrind), Python, C#, the browser (Payment Simulator page), the installs (C with
# pkg-config, the glibc-2.17 build, the wheel, the NuGet package), every README code block and a
# one-round benchmark smoke. Installs what a fresh Debian 12 machine lacks.
# Usage: bash tests/run-all.sh        (from anywhere; CI runs exactly this)
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TERM_COLOR=never

passed=0
failed=0
failures=()
logs=target/test-logs
mkdir -p "$logs"
rm -f "$logs"/*.log
suite() {
  local name=$1
  shift
  echo
  echo "=== $name"
  local start=$SECONDS
  if "$@" 2>&1 | tee "$logs/${name//[^a-zA-Z0-9]/_}.log"; then
    passed=$((passed + 1))
    echo "=== $name: ok ($((SECONDS - start)) s)"
  else
    failed=$((failed + 1))
    failures+=("$name")
    echo "=== $name: FAILED ($((SECONDS - start)) s)"
  fi
}

# shellcheck source=tests/lib/apt.sh
. tests/lib/apt.sh

lint() {
  cargo fmt --all -- --check &&
    cargo clippy --workspace --all-targets --profile test-release -- -D warnings
}

header_is_fresh() {
  # build.rs regenerated include/ovo.h during the build: it must equal the committed copy.
  # Outside a git checkout (a source tarball) there is no committed copy to compare with: the
  # header is compiled below all the same, and build.rs rewrote it from the sources.
  if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    git ls-files --error-unmatch include/ovo.h >/dev/null &&
      git diff --exit-code -- include/ovo.h ||
      { echo "include/ovo.h is stale: commit the header that the build generated"; return 1; }
  else
    echo "not a git checkout: the freshness check needs the committed header; compiling only"
  fi
  for std in c99 c11; do
    gcc -std=$std -Wall -Wextra -Werror -pedantic -fsyntax-only -x c include/ovo.h || return 1
  done
  g++ -std=c++11 -Wall -Wextra -Werror -pedantic -fsyntax-only -x c++ include/ovo.h
}

# g++, pkg-config, file and unzip come with this kind of machine; listed so a bare Debian has them.
need_apt valgrind mono-mcs mono-runtime tinyproxy-bin openssl g++ pkg-config file unzip

# The library and the sandbox as shipped (release: fat LTO, one codegen unit, stripped); the
# Rust tests and the demo use the test-release profile (release without LTO: the same code,
# minutes less to build ~25 test binaries).
suite "build (release)" cargo build --release --workspace
suite "portable build (glibc 2.17)" make --no-print-directory portable
suite "lint (fmt, clippy)" lint
suite "header (fresh, C99, C++)" header_is_fresh
# --nocapture: every test's output reaches the log, so the secret scan below sees it all.
suite "rust tests" cargo test --profile test-release --workspace -- --nocapture
suite "demo" cargo run --profile test-release --quiet --example pay
suite "c tests" bash tests/c.sh
suite "c install (make install, pkg-config)" bash tests/install.sh
suite "python tests" bash tests/python.sh
suite "csharp tests" bash tests/csharp.sh
suite "nuget package" bash tests/nuget.sh
suite "readme snippets" python3 tests/snippets.py
suite "browser tests" bash tests/browser.sh
# One small round of the benchmarks (bench/run): every figure must be produced; no speed is judged.
suite "bench smoke" bash bench/run --smoke
# Bounded fuzzing in every run, seeded so a run explores the same inputs each time (a red
# CI then means a real finding that reproduces); 20 s per target keeps the whole command well
# under its 15 minutes. The long, randomly seeded run (10 M executions per target) is
# `FUZZ_RUNS=5000000 FUZZ_JOBS=2 bash tests/fuzz.sh`.
suite "fuzz" env FUZZ_SECONDS="${FUZZ_SECONDS:-20}" FUZZ_SEED="${FUZZ_SEED:-1}" bash tests/fuzz.sh

# Secret hygiene: no message, log line or Debug output of any suite shows a secret key, nor an
# 8-character prefix of one (a cut-off copy). Every log of this run is scanned: the suites' own
# (above), the C programs', the fuzz targets', and the sandboxes' of the Python, C#, browser
# and benchmark suites. The keys are the test keys the suites use (the redaction tests' keys
# hold quotes and backslashes).
no_secret_in_logs() {
  local found=0 files=() key prefix
  mapfile -t files < <(find "$logs" target/c-tests/logs target/fuzz-logs target/browser \
    target/csharp target/bench -maxdepth 2 -type f \( -name '*.log' -o -name '*.txt' \) 2>/dev/null
    ls target/py-*.log 2>/dev/null)
  local keys=('SK-9sCrJ1kdYUJAYlsJKlqz' 'SK-wrong' 'SK-wrong-Zq81Xv0pLm4Cc' 'SK-not-the-right-one'
    'SK-not-the-right-key' 'SK-FAKE-journal-key-0123456789' 'SK-q"uote\back-slash-012345'
    'K\"\\-mixed-KEY-abcdef')
  for key in "${keys[@]}"; do
    prefix=${key:0:8}
    if grep -q -F -- "$prefix" "${files[@]}"; then
      echo "a test secret key (prefix ${prefix:0:3}...) appears in: $(grep -l -F -- "$prefix" "${files[@]}" | tr '\n' ' ')"
      found=1
    fi
  done
  echo "checked $(cat "${files[@]}" | wc -l) lines in ${#files[@]} log files for ${#keys[@]} keys and their 8-character prefixes"
  return $found
}
suite "secret hygiene (all logs)" no_secret_in_logs

echo
[ ${#failures[@]} -gt 0 ] && echo "failed suites: ${failures[*]}"
echo "suites: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
