#!/usr/bin/env bash
# tests/install.sh: the C library installed the way a C developer installs it.
#
# For each build, the host one (target/release) and the portable one (`make portable`,
# glibc 2.17): `make install` into a temporary prefix; the layout (libovo.so.VERSION with
# SONAME libovo.so.0, the libovo.so.0 and libovo.so links, libovo.a, ovo.h, ovo.pc); then
# examples/c/pay.c built with pkg-config twice, shared (with an rpath) and `--static` (fully
# static), each paying against ovo-sandbox with no LD_LIBRARY_PATH. For the portable build
# also: the highest GLIBC_ symbol version it needs is at most 2.17, and it needs no library
# manylinux2014 does not allow. Then `make uninstall` must empty the prefix, and a staged
# install (DESTDIR) must keep the final prefix in ovo.pc. The last line is "N passed, N failed".
#
# Usage: bash tests/install.sh [host] [portable]     (default: both; builds first)
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
# shellcheck source=tests/lib/sandbox.sh
. tests/lib/sandbox.sh
VERSION=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -n 1)
MAX_GLIBC=2.17
# manylinux2014's allowed libraries that libovo may need (plus the loader).
ALLOWED_NEEDED="libc.so.6 libpthread.so.0 libdl.so.2 libm.so.6 librt.so.1 libutil.so.1 libgcc_s.so.1 ld-linux-x86-64.so.2"
CLIENT_ID=MCH-0001-10791114622547
SECRET_KEY=SK-9sCrJ1kdYUJAYlsJKlqz

TMP=$(mktemp -d)
cleanup() {
    stop_sandbox
    rm -rf "$TMP"
}
trap cleanup EXIT

passed=0
failed=0
check() { # description, command...
    local what=$1
    shift
    if "$@"; then
        passed=$((passed + 1))
        echo "   ok    $what"
    else
        failed=$((failed + 1))
        echo "   FAIL  $what" >&2
    fi
}

highest_glibc() { objdump -T "$1" | grep -o 'GLIBC_[0-9][0-9.]*' | sed 's/^GLIBC_//' | sort -uV | tail -n 1; }
version_le() { [[ $(printf '%s\n%s\n' "$1" "$2" | sort -V | head -n 1) == "$1" ]]; }
needed() { readelf -d "$1" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'; }
only_allowed_needed() {
    local lib
    for lib in $(needed "$1"); do
        [[ " $ALLOWED_NEEDED " == *" $lib "* ]] || { echo "     needs $lib" >&2; return 1; }
    done
}
# (No `cmd | grep -q` here: with pipefail, grep's early exit fails the pipeline by SIGPIPE.)
soname_is() { [[ $(readelf -d "$1") == *"(SONAME)"*"[$2]"* ]]; }
link_is() { [[ -L $1 && $(readlink "$1") == "$2" ]]; }

pays() { # program, invoice: pays 15000 rupiah from the approving test wallet
    env -u LD_LIBRARY_PATH "$1" "$OVO_SANDBOX_URL" "$CLIENT_ID" "$SECRET_KEY" "$2" 15000 \
        081211111111 >"$1.log" 2>&1 && grep -q '^PAID' "$1.log" ||
        { cat "$1.log" >&2; return 1; }
}
loads_from() { # program, directory: the loader resolves libovo.so.0 inside directory
    [[ $(env -u LD_LIBRARY_PATH ldd "$1") == *"libovo.so.0 => $2/libovo.so.0 "* ]]
}
fully_static() { [[ -z $(needed "$1") && $(file "$1") == *"statically linked"* ]]; }

install_and_build() { # build name
    local name=$1 prefix="$TMP/$1/prefix" out="$TMP/$1"
    local portable_flag=()
    [[ $name == portable ]] && portable_flag=(PORTABLE=1)
    # Build first (a no-op when up to date): `make install` alone keeps whatever library exists.
    # The host library is built as run-all builds it (`make build`'s `-p ovo` unifies features
    # differently, so the two would rebuild each other's library in turn).
    local build=(cargo build --release --workspace)
    [[ $name == portable ]] && build=(make --no-print-directory portable)
    echo "== $name: ${build[*]}; make install ${portable_flag[*]} PREFIX=$prefix"
    "${build[@]}" >"$out.build.log" 2>&1 ||
        { cat "$out.build.log" >&2; failed=$((failed + 1)); return 0; }
    make --no-print-directory install "${portable_flag[@]}" PREFIX="$prefix" >"$out.make.log" 2>&1 ||
        { cat "$out.make.log" >&2; failed=$((failed + 1)); return 0; }
    local lib="$prefix/lib"
    check "$name: lib/libovo.so.$VERSION has SONAME libovo.so.0" soname_is "$lib/libovo.so.$VERSION" libovo.so.0
    check "$name: lib/libovo.so.0 -> libovo.so.$VERSION" link_is "$lib/libovo.so.0" "libovo.so.$VERSION"
    check "$name: lib/libovo.so -> libovo.so.0" link_is "$lib/libovo.so" libovo.so.0
    check "$name: lib/libovo.a, include/ovo.h" test -f "$lib/libovo.a" -a -f "$prefix/include/ovo.h"
    check "$name: installed ovo.h is the repository's" cmp -s include/ovo.h "$prefix/include/ovo.h"

    export PKG_CONFIG_PATH="$lib/pkgconfig"
    check "$name: pkg-config --modversion ovo is $VERSION" test "$(pkg-config --modversion ovo)" = "$VERSION"
    if [[ $name == portable ]]; then
        local have
        have=$(highest_glibc "$lib/libovo.so.$VERSION")
        echo "   (portable libovo.so needs GLIBC_$have at most; host build: GLIBC_$(highest_glibc target/release/libovo.so))"
        check "$name: highest GLIBC_ version needed ($have) <= $MAX_GLIBC" version_le "$have" "$MAX_GLIBC"
        check "$name: needs only manylinux2014 libraries ($(needed "$lib/libovo.so.$VERSION" | tr '\n' ' '))" \
            only_allowed_needed "$lib/libovo.so.$VERSION"
    fi

    # What the README tells a C developer to type.
    # shellcheck disable=SC2046
    check "$name: pay.c builds with pkg-config --cflags --libs ovo (+ rpath)" \
        cc -std=c99 -Wall -Wextra -Werror -pedantic examples/c/pay.c -o "$out/pay" \
        $(pkg-config --cflags --libs ovo) -Wl,-rpath,"$(pkg-config --variable=libdir ovo)" -lpthread
    check "$name: pay loads libovo.so.0 from the prefix without LD_LIBRARY_PATH" loads_from "$out/pay" "$lib"
    check "$name: pay pays" pays "$out/pay" "INST-$name-SH-$$"
    # shellcheck disable=SC2046
    check "$name: pay.c builds with -static and pkg-config --static --cflags --libs ovo" \
        cc -static -std=c99 -Wall -Wextra -Werror -pedantic examples/c/pay.c -o "$out/pay-static" \
        $(pkg-config --static --cflags --libs ovo) 2>"$out/static-link.log"
    check "$name: pay-static is fully static" fully_static "$out/pay-static"
    check "$name: pay-static pays" pays "$out/pay-static" "INST-$name-ST-$$"
    unset PKG_CONFIG_PATH

    make --no-print-directory uninstall "${portable_flag[@]}" PREFIX="$prefix" >>"$out.make.log" 2>&1
    check "$name: make uninstall leaves no file in the prefix" test -z "$(find "$prefix" ! -type d)"
}

staged_install() { # what a packager does: DESTDIR stages, the .pc names the final prefix
    local stage="$TMP/stage"
    make --no-print-directory install DESTDIR="$stage" PREFIX=/usr >"$TMP/stage.make.log" 2>&1 ||
        { cat "$TMP/stage.make.log" >&2; return 1; }
    [[ -f $stage/usr/lib/libovo.so.$VERSION && -f $stage/usr/include/ovo.h ]] &&
        grep -qx 'prefix=/usr' "$stage/usr/lib/pkgconfig/ovo.pc"
}

builds=("$@")
[[ ${#builds[@]} -eq 0 ]] && builds=(host portable)
# shellcheck source=tests/lib/apt.sh
. tests/lib/apt.sh
need_apt pkg-config file
# Always (a no-op when up to date): never a stale sandbox. The same command as run-all's build:
# `-p ovo-sandbox` alone unifies features differently and rebuilds it (47 s).
cargo build --release --workspace
start_sandbox "$TMP/sandbox.log" --approve-delay 0.05 --hold 2
echo "== ovo-sandbox at $OVO_SANDBOX_URL"
for build in "${builds[@]}"; do
    mkdir -p "$TMP/$build"
    install_and_build "$build"
done
check "make install DESTDIR=... PREFIX=/usr stages /usr, and ovo.pc says prefix=/usr" staged_install
echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]
