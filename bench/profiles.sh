#!/usr/bin/env bash
# bench/profiles.sh: the measured effect of each release-profile setting on libovo: size,
# checksum from C (ns/call) and sequential payment client CPU (µs), interleaved rounds, medians.
#
#   bash bench/profiles.sh [ROUNDS]      (default 5; needs bench/run to have built the programs)
#
# Variants (cargo's CARGO_PROFILE_RELEASE_* overrides, each in its own target dir under
# target/profiles/): "base" (opt-level 3, no LTO, 16 codegen units, symbols kept), "+lto" (fat
# LTO), "+cgu1" (fat LTO and one codegen unit), "+strip" (all three and stripped symbols).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
ROUNDS=${1:-5}
BIN=$ROOT/target/bench/bin
OUT=$ROOT/target/profiles
[ -x "$BIN/ovo-checksum" ] || { echo "run bench/run --smoke first (it builds $BIN)"; exit 2; }

variants=(base +lto +cgu1 +strip)
settings() {
  case $1 in
    base) echo "CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 CARGO_PROFILE_RELEASE_STRIP=none" ;;
    +lto) echo "CARGO_PROFILE_RELEASE_LTO=fat CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 CARGO_PROFILE_RELEASE_STRIP=none" ;;
    +cgu1) echo "CARGO_PROFILE_RELEASE_LTO=fat CARGO_PROFILE_RELEASE_CODEGEN_UNITS=1 CARGO_PROFILE_RELEASE_STRIP=none" ;;
    +strip) echo "CARGO_PROFILE_RELEASE_LTO=fat CARGO_PROFILE_RELEASE_CODEGEN_UNITS=1 CARGO_PROFILE_RELEASE_STRIP=symbols" ;;
  esac
}
for v in "${variants[@]}"; do
  dir=$OUT/$v
  start=$SECONDS
  env $(settings "$v") CARGO_TARGET_DIR="$dir" cargo build --release -p ovo --lib --quiet
  echo "built $v in $((SECONDS - start)) s"
done
cargo build --release -p ovo-sandbox --quiet
coproc SB { exec target/release/ovo-sandbox --port 0 --approve-delay 0 2>/dev/null; }
read -r -t 30 URL <&"${SB[0]}"
trap 'kill $SB_PID 2>/dev/null || true' EXIT

declare -A checksum payment
for ((r = 1; r <= ROUNDS; r++)); do
  for v in "${variants[@]}"; do
    lib=$OUT/$v/release
    c=$(LD_LIBRARY_PATH=$lib "$BIN/ovo-checksum" 2000000 | python3 -c 'import json,sys; print(json.load(sys.stdin)["ns_per_call"])')
    p=$(LD_LIBRARY_PATH=$lib "$BIN/ovo-pay" "$URL" 2000 "PROF-$v-$r" |
        python3 -c 'import json,sys; d=json.load(sys.stdin); print(round(d["cpu_ns"]/d["payments"]/1000, 1))')
    checksum[$v]+="$c "
    payment[$v]+="$p "
  done
done
median() { tr ' ' '\n' | sed '/^$/d' | sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
printf '| variant | libovo.so bytes | checksum ns/call | payment CPU µs |\n|---|---:|---:|---:|\n'
for v in "${variants[@]}"; do
  size=$(stat -c %s "$OUT/$v/release/libovo.so")
  printf '| %s | %s | %s | %s |\n' "$v" "$size" "$(echo "${checksum[$v]}" | median)" "$(echo "${payment[$v]}" | median)"
done
echo "($ROUNDS interleaved rounds, medians; the loaded library is chosen with LD_LIBRARY_PATH)"
