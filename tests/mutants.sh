#!/usr/bin/env bash
# tests/mutants.sh: plants one-line bugs in a scratch copy of the repository, one at a time, and
# checks that the named test turns red for each (RELIABILITY.md lists them). Not part of the
# README's test command (each mutant rebuilds the library: ~1-2 min each); run it by hand:
#
#   bash tests/mutants.sh              every mutant
#   bash tests/mutants.sh M4 M9        some
#
# A mutant is: an id, a file, a literal line fragment to replace, its replacement, and the
# cargo test (or script) that must fail. The copy lives in target/mutants/ (git worktree-free:
# a plain copy of the tracked files), so the checkout is never touched.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
WORK=$ROOT/target/mutants/tree
export CARGO_TARGET_DIR=$ROOT/target/mutants/target

# Each mutant: id, file, a literal line fragment, its replacement, the test that must fail.
MUTANTS=()
m() { MUTANTS+=("$(printf '%s\x1f' "$@")"); }
m M1 src/secret.rs '        if self.key.is_empty() {' \
  '        if true {' \
  'cargo test --profile test-release --test redaction'
m M2 src/config.rs 'Duration::from_secs(90);' \
  'Duration::from_secs(60);' \
  'cargo test --profile test-release --test defaults'
m M3 src/ffi/config.rs '            timeout: millis(self.timeout_ms, FIELD_TIMEOUT, defaults.timeout)?,' \
  '            timeout: millis(self.timeout_ms, FIELD_TIMEOUT, Duration::from_secs(60))?,' \
  'cargo test --profile test-release --test defaults'
m M4 src/push.rs '        (Status::Failed, "40") => open(' \
  '        (Status::Failed, "4O") => open(' \
  'cargo test --profile test-release --test settle'
m M5 src/push.rs '                408 | 409 => refused(' \
  '                408 => refused(' \
  'cargo test --profile test-release --test settle'
m M6 src/http/exchange.rs '                        self.sent = true;' \
  '                        self.sent = false;' \
  'cargo test --profile test-release --test faults'
m M7 src/response.rs '        response.check_matches(request)?;' \
  '        let _ = response.check_matches(request);' \
  'cargo test --profile test-release --test faults'
m M8 src/http/exchange.rs '                    return self.done(format!("TLS with DOKU failed: {why}"));' \
  '                    return self.done(format!("handshake failed: {why}"));' \
  'cargo test --profile test-release --test faults'
m M9 src/http/mod.rs 'pub const MAX_BODY_BYTES: u64 = 1_048_576;' \
  'pub const MAX_BODY_BYTES: u64 = 1_048_576 * 128;' \
  'cargo test --profile test-release --test faults'
m M10 src/book.rs '            return Err(entry.busy);' \
  '            let _ = entry;' \
  'cargo test --profile test-release --test cancel'
m M11 src/cancel.rs '        state.cancelled = true;' \
  '        state.cancelled = false;' \
  'cargo test --profile test-release --test cancel'
m M12 src/status.rs '            _ if self.not_found => Outcome::Unknown,' \
  '            _ if self.not_found => Outcome::NotPaid,' \
  'cargo test --profile test-release --test settle'
m M13 src/status.rs '            Some("REFUNDED") => Outcome::Refunded,' \
  '            Some("REFUNDED") => Outcome::Paid,' \
  'cargo test --profile test-release --test settle'
m M14 src/checksum.rs '    hasher.update(fields.client_id);' \
  '    hasher.update(fields.ovo_id);' \
  'cargo test --profile test-release --test core'
m M15 src/checksum.rs '            component.push_str("\nDigest:");' \
  '            component.push_str("\nDigest:"); component.clear();' \
  'cargo test --profile test-release --test core'
m M16 src/bookkeeping.rs '            Ok(Begin::Go) => return Ok(()),' \
  '            Ok(_) => return Ok(()),' \
  'cargo test --profile test-release --test journal_client'
m M17 src/push.rs '        if let Err(stored) = self.core.journal_push(&self.order, &self.request_id) {' \
  '        if let Err(stored) = Ok::<(), Box<Payment>>(()) {' \
  'cargo test --profile test-release --test journal_client'
m M19 src/http/parse.rs '    if body.len() + data.len() > limit {' \
  '    if body.len() > limit {' \
  'cargo test --profile test-release --lib http::parse'
m M20 src/push.rs '            Some(r) if payment.outcome == Outcome::Unknown && !payment.cancelled => {' \
  '            Some(r) if false && !payment.cancelled => {' \
  'cargo test --profile test-release --test settle'
m M21 src/response.rs '            Some(("ovo_info.ovo_id", _, _)) => Err(unknown(' \
  '            Some(("never", _, _)) => Err(unknown(' \
  'cargo test --profile test-release --test faults'

want=("$@")
mkdir -p "$ROOT/target/mutants"
results=()
for row in "${MUTANTS[@]}"; do
  IFS=$'\x1f' read -r id file from to test <<<"$row"
  if [ ${#want[@]} -gt 0 ] && [[ ! " ${want[*]} " == *" $id "* ]]; then continue; fi
  [ "$test" = SKIP ] && continue
  rm -rf "$WORK"
  mkdir -p "$WORK"
  (cd "$ROOT" && git ls-files -z | xargs -0 cp --parents -t "$WORK")
  if ! grep -qF -- "$from" "$WORK/$file"; then
    results+=("$id: NOT APPLIED (the line is gone from $file: update the mutant)")
    continue
  fi
  python3 - "$WORK/$file" "$from" "$to" <<'PY'
import sys
path, old, new = sys.argv[1:]
text = open(path).read()
open(path, "w").write(text.replace(old, new, 1))
PY
  echo "== $id: $file: $test"
  # A mutant that does not compile proves nothing: build first, then judge the test.
  if ! (cd "$WORK" && eval "${test/cargo test/cargo test --no-run}" >"$ROOT/target/mutants/$id.log" 2>&1); then
    results+=("$id: DOES NOT COMPILE (fix the mutant; log target/mutants/$id.log)")
    continue
  fi
  if (cd "$WORK" && eval "$test" >>"$ROOT/target/mutants/$id.log" 2>&1); then
    results+=("$id: SURVIVED ($test passed with the bug; log target/mutants/$id.log)")
  else
    results+=("$id: killed by $test")
  fi
done
printf '%s\n' "${results[@]}"
! printf '%s\n' "${results[@]}" | grep -q "SURVIVED\|NOT APPLIED\|DOES NOT COMPILE"
