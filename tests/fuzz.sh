#!/usr/bin/env bash
# Coverage-guided fuzzing of libovo with libFuzzer (crate libfuzzer-sys) on the STABLE
# toolchain: no cargo-fuzz, no nightly. The targets live in fuzz/, a standalone workspace
# (its own Cargo.lock and target dir), so the main workspace build is not affected.
#
# Targets (see the head of each fuzz/fuzz_targets/*.rs for what it asserts):
#   response_parse       ovo::Response::parse on arbitrary bytes
#   response_structured  Response::parse on DOKU-like JSON built from the input, against a model
#   validate_checksum    PaymentFields::validate, ovo::validate::*, ovo::checksum against a model
#   ffi_strings          the C ABI's strings, pointers and buffers (ovo_checksum, ovo_code_describe,
#                        ovo_config_set_*, ovo_client_new, refused ovo_push_payment(_async), accessors)
#   network              a push answered by a loopback server with fuzzed bytes, read through the
#                        real HTTP engine (socket reads, framing, gzip, redaction, outcome rules)
#
# Usage:
#   bash tests/fuzz.sh                          # every target, 60 s each (FUZZ_SECONDS)
#   FUZZ_SECONDS=3600 bash tests/fuzz.sh        # the long run: an hour per target
#   FUZZ_SECONDS=600 bash tests/fuzz.sh ffi_strings response_parse   # some targets only
#   FUZZ_JOBS=2 ...                             # libFuzzer workers per target (default 1)
#   FUZZ_SEED=1 ...                             # fixed libFuzzer seed (default: random)
#
# Each target starts from a COPY of fuzz/corpus/<target> in a temporary directory, so runs never
# change the repository; fuzz/dict.txt is the dictionary. A crash (panic, failed assertion,
# abort), an input slower than FUZZ_TIMEOUT seconds (default 10) or memory over FUZZ_RSS_MB
# (default 2048) fails the script; the input is kept in fuzz/artifacts/<target>/ (ignored by
# git) and reproduces with:  fuzz/target/x86_64-unknown-linux-gnu/release/<target> <file>
# Leaks: no LeakSanitizer on stable, so ffi_strings counts live Rust allocations itself.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
seconds=${FUZZ_SECONDS:-60}
timeout_s=${FUZZ_TIMEOUT:-10}
rss_mb=${FUZZ_RSS_MB:-2048}
jobs=${FUZZ_JOBS:-1}
seed_arg=()
# Every job would get the same seed and repeat the same work: a seed only with one job.
if [ -n "${FUZZ_SEED:-}" ] && [ "$jobs" -gt 1 ]; then
  echo "FUZZ_SEED is ignored with FUZZ_JOBS=$jobs (each job would repeat the same inputs)"
elif [ -n "${FUZZ_SEED:-}" ]; then
  seed_arg=(-seed="$FUZZ_SEED")
fi
all_targets=(response_parse response_structured validate_checksum ffi_strings network)
# FUZZ_RUNS=N stops each target after N executions instead of after FUZZ_SECONDS (the long run:
# FUZZ_RUNS=5000000 FUZZ_JOBS=2 bash tests/fuzz.sh: 10 M executions per target).
runs_arg=()
[ -n "${FUZZ_RUNS:-}" ] && runs_arg=(-runs="$FUZZ_RUNS")
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=("${all_targets[@]}")

# SanitizerCoverage through stable rustc's LLVM options (what cargo-fuzz passes, minus the
# nightly-only -Zsanitizer). --target keeps these flags off build scripts and proc macros.
host=$(rustc -vV | sed -n 's/^host: //p')
export RUSTFLAGS="--cfg fuzzing -Cpasses=sancov-module \
-Cllvm-args=-sanitizer-coverage-level=4 \
-Cllvm-args=-sanitizer-coverage-inline-8bit-counters \
-Cllvm-args=-sanitizer-coverage-pc-table \
-Cllvm-args=-sanitizer-coverage-trace-compares \
-Cdebug-assertions -Coverflow-checks"
export CARGO_TERM_COLOR=never
echo "=== building fuzz targets ($host)"
start=$SECONDS
cargo build --manifest-path fuzz/Cargo.toml --release --target "$host" \
  $(printf -- '--bin %s ' "${targets[@]}")
echo "=== built in $((SECONDS - start)) s"
bin_dir=$root/fuzz/target/$host/release

work=$(mktemp -d "${TMPDIR:-/tmp}/ovo-fuzz.XXXXXX")
trap 'rm -rf "$work"' EXIT

failed=()
summary=()
for t in "${targets[@]}"; do
  echo
  echo "=== $t: $([ -n "${FUZZ_RUNS:-}" ] && echo "$FUZZ_RUNS runs per job" || echo "$seconds s"), $jobs job(s)"
  mkdir -p "$work/$t/corpus" "$root/fuzz/artifacts/$t"
  cp -R "$root/fuzz/corpus/$t/." "$work/$t/corpus/"
  log=$work/$t/log
  rc=0
  # The working directory is the temp dir: ffi_strings opens CA files by bare name there.
  (cd "$work/$t" && "$bin_dir/$t" corpus \
    -dict="$root/fuzz/dict.txt" \
    -max_total_time="$([ -n "${FUZZ_RUNS:-}" ] && echo 0 || echo "$seconds")" \
    "${runs_arg[@]}" \
    -timeout="$timeout_s" \
    -rss_limit_mb="$rss_mb" \
    -max_len=4096 \
    -print_final_stats=1 \
    "${seed_arg[@]}" \
    -jobs="$jobs" -workers="$jobs" \
    -artifact_prefix="$root/fuzz/artifacts/$t/") >"$log" 2>&1 || rc=$?
  # (With -jobs, libFuzzer copies each job's fuzz-N.log into its own output as the job ends:
  # $log already holds every job's figures once.)
  grep -E '^#[0-9]+[[:space:]]+(INITED|DONE)' "$log" | tail -2 || true
  grep -E '^stat::' "$log" || true
  execs=$({ grep -E '^stat::number_of_executed_units' "$log" || true; } | awk '{s += $2} END {print s + 0}')
  rate=$({ grep -E '^stat::average_exec_per_sec' "$log" || true; } | awk '{s += $2} END {print s + 0}')
  cov=$({ grep -E '^#[0-9]+[[:space:]]+DONE' "$log" || true; } | tail -1 | sed -n 's/.* cov: \([0-9]*\).* ft: \([0-9]*\).*/\1 ft \2/p')
  units=$(find "$work/$t/corpus" -type f | wc -l)
  mkdir -p "$root/target/fuzz-logs"
  # Kept for the run-all secret scan, without what libFuzzer prints of its own mutator: the
  # progress lines quote the dictionary entries it mutated with (`DE: "..."`), and the
  # "Recommended dictionary" it prints at the end lists the bytes it saw compared (the
  # redaction compares text with the test key). Neither is libovo's output; a panic or a
  # crash report stays in.
  awk '/^###### Recommended dictionary/ { skip = 1; dropped = 0; next }
       /^###### End of recommended dictionary/ {
         skip = 0; print "(libFuzzer'"'"'s recommended dictionary: " dropped " entries not kept)"; next }
       skip { dropped++; next }
       /^#[0-9]+[[:space:]]/ { next }
       { print }' "$log" >"$root/target/fuzz-logs/$t.log" || true
  covered=${cov%% *}
  if [ "$rc" -eq 0 ] && { [ "${execs:-0}" -eq 0 ] || [ -z "$covered" ] || [ "$covered" -eq 0 ]; }; then
    echo "--- $t FAILED: it ran $execs executions with coverage '${cov}': the target did not fuzz"
    failed+=("$t")
    summary+=("$t: FAILED, $execs executions, no coverage")
  elif [ "$rc" -ne 0 ] || grep -qE '^==[0-9]+== ERROR: libFuzzer|^SUMMARY: libFuzzer' "$log"; then
    echo "--- $t FAILED (exit $rc):"
    grep -E -B2 -A25 'panicked at|ERROR: libFuzzer' "$log" | head -60 || tail -40 "$log"
    ls -1 "$root/fuzz/artifacts/$t/" | sed 's/^/    artifact: /'
    failed+=("$t")
    summary+=("$t: FAILED after $execs executions")
  else
    summary+=("$t: $execs executions, $rate exec/s, cov $cov, corpus $units, no crash")
  fi
done

echo
echo "=== fuzz summary ($([ -n "${FUZZ_RUNS:-}" ] && echo "$FUZZ_RUNS runs" || echo "$seconds s") per job, $jobs job(s) per target)"
printf '  %s\n' "${summary[@]}"
if [ ${#failed[@]} -gt 0 ]; then
  echo "FAILED: ${failed[*]}"
  exit 1
fi
echo "all ${#targets[@]} targets ran without a crash, leak or timeout"
