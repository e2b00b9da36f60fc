#!/usr/bin/env bash
# tests/nuget.sh: the Ovo NuGet package, packed and consumed as a .NET Framework/Mono user would.
#
# Packs it with the documented command (bindings/csharp/pack.sh: Debian's nuget.exe on Mono),
# checks its layout, installs it from a local feed with `nuget install`, then
#   1. mcs: examples/csharp/Pay.cs compiled against lib/netstandard2.0/Ovo.dll; without the
#      native library it must fail with DllNotFoundException saying what to do; with
#      runtimes/linux-x64/native/libovo.so beside Ovo.dll it pays, with no LD_LIBRARY_PATH;
#   2. packages.config: tests/nuget/Consumer.csproj (Reference + Import of build/Ovo.targets, as
#      NuGet writes them) built by xbuild; Ovo.targets must have copied libovo.so to bin/, and
#      the program pays from there.
# Installs mono-mcs, mono-runtime, nuget and mono-xbuild when missing. Last line "N passed, N failed".
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
# shellcheck source=tests/lib/sandbox.sh
. tests/lib/sandbox.sh
VERSION=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -n 1)

# shellcheck source=tests/lib/apt.sh
. tests/lib/apt.sh
need_apt --no-install-recommends mono-mcs mono-runtime nuget mono-xbuild unzip
# Always (a no-op when up to date): never a stale sandbox. The same command as run-all's build:
# `-p ovo-sandbox` alone unifies features differently and rebuilds it (47 s).
cargo build --release --workspace

TMP=$(mktemp -d)
cleanup() {
    stop_sandbox
    rm -rf "$TMP"
}
trap cleanup EXIT
# nuget.exe keeps its settings in $HOME: a scratch one, as on a new machine.
nuget() { HOME="$TMP/home" command nuget "$@"; }

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

echo "== bash bindings/csharp/pack.sh"
NUPKG=$(bash bindings/csharp/pack.sh)
contents=$(unzip -Z1 "$NUPKG")
for entry in lib/netstandard2.0/Ovo.dll lib/netstandard2.0/Ovo.xml runtimes/linux-x64/native/libovo.so \
    build/Ovo.targets; do
    check "package has $entry" grep -qx "$entry" <<<"$contents"
done
check "package's libovo.so is the portable (glibc 2.17) build" \
    cmp -s <(unzip -p "$NUPKG" runtimes/linux-x64/native/libovo.so) target/x86_64-unknown-linux-gnu/release/libovo.so

echo "== nuget install Ovo from a local feed"
FEED="$TMP/feed"
mkdir -p "$FEED"
cp "$NUPKG" "$FEED/"
nuget install Ovo -Version "$VERSION" -Source "$FEED" -OutputDirectory "$TMP/packages" -NonInteractive >"$TMP/install.log" 2>&1 ||
    { cat "$TMP/install.log" >&2; exit 1; }
PKG="$TMP/packages/Ovo.$VERSION"

start_sandbox "$TMP/sandbox.log" --approve-delay 0.05 --hold 2
echo "== ovo-sandbox at $OVO_SANDBOX_URL"
export OVO_CLIENT_ID=MCH-0001-10791114622547 OVO_SECRET_KEY=SK-9sCrJ1kdYUJAYlsJKlqz OVO_BASE_URL="$OVO_SANDBOX_URL"
pays() { # program: pays 20000 rupiah from the approving test wallet, no LD_LIBRARY_PATH
    env -u LD_LIBRARY_PATH mono "$1" --no-proxy "NUGET-$(basename "$1" .exe)-$$" 20000 081211111111 \
        >"$1.log" 2>&1 || { cat "$1.log" >&2; return 1; }
}
explains_missing_library() { # program: fails, naming DllNotFoundException and the way out
    if env -u LD_LIBRARY_PATH mono "$1" --no-proxy "NUGET-MISSING-$$" 20000 081211111111 >"$1.log" 2>&1; then
        return 1
    fi
    grep -q 'DllNotFoundException' "$1.log" && grep -q 'LD_LIBRARY_PATH' "$1.log" &&
        grep -q 'folder of Ovo.dll' "$1.log" || { cat "$1.log" >&2; return 1; }
}

echo "== 1. mcs against the package's lib/netstandard2.0/Ovo.dll"
APP="$TMP/mcs-app"
mkdir -p "$APP"
cp "$PKG/lib/netstandard2.0/Ovo.dll" "$APP/"
check "examples/csharp/Pay.cs compiles with mcs -r:Ovo.dll" \
    mcs -langversion:7.2 -warnaserror+ -r:"$APP/Ovo.dll" -out:"$APP/Pay.exe" examples/csharp/Pay.cs
check "without libovo.so: DllNotFoundException says what to do" explains_missing_library "$APP/Pay.exe"
cp "$PKG/runtimes/linux-x64/native/libovo.so" "$APP/"
check "with runtimes/linux-x64/native/libovo.so beside Ovo.dll: pays" pays "$APP/Pay.exe"

echo "== 2. packages.config project built by xbuild (build/Ovo.targets)"
PROJ="$TMP/consumer"
mkdir -p "$PROJ"
cp tests/nuget/Consumer.csproj "$PROJ/"
cp examples/csharp/Pay.cs "$PROJ/Program.cs"
printf '<?xml version="1.0" encoding="utf-8"?>\n<packages>\n  <package id="Ovo" version="%s" targetFramework="net45" />\n</packages>\n' \
    "$VERSION" >"$PROJ/packages.config"
check "nuget install packages.config" \
    nuget install "$PROJ/packages.config" -Source "$FEED" -OutputDirectory "$PROJ/packages" -NonInteractive -Verbosity quiet
# Debian's Mono has no reference assemblies (4.5-api): point xbuild at the runtime's own ones.
mkdir -p "$TMP/frameworks/.NETFramework/v4.5/RedistList"
printf '<?xml version="1.0" encoding="utf-8"?>\n<FileList Name=".NET Framework 4.5" TargetFrameworkDirectory="%s" />\n' \
    "$(dirname "$(command -v mono)")/../lib/mono/4.5" >"$TMP/frameworks/.NETFramework/v4.5/RedistList/FrameworkList.xml"
check "xbuild Consumer.csproj" xbuild /nologo /v:minimal /p:OvoVersion="$VERSION" \
    /p:TargetFrameworkRootPath="$TMP/frameworks/" "$PROJ/Consumer.csproj"
check "build/Ovo.targets copied the package's libovo.so to bin/" \
    cmp -s "$PROJ/bin/libovo.so" "$PROJ/packages/Ovo.$VERSION/runtimes/linux-x64/native/libovo.so"
check "bin/Consumer.exe pays" pays "$PROJ/bin/Consumer.exe"

echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]
