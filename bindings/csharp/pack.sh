#!/usr/bin/env bash
# Packs the Ovo NuGet package: target/nuget/Ovo.VERSION.nupkg with lib/netstandard2.0/Ovo.dll
# (+ XML docs), runtimes/linux-x64/native/libovo.so (the glibc-2.17 build, `make portable`) and
# build/Ovo.targets. Prints the package's path last.
#
#   bash bindings/csharp/pack.sh        (from anywhere; needs cargo, Mono's mcs and nuget:
#                                        apt-get install mono-mcs nuget)
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
OUT="$ROOT/target/nuget"
VERSION=$(sed -n 's/^version = "\(.*\)"/\1/p' "$ROOT/Cargo.toml" | head -n 1)

make -C "$ROOT" --no-print-directory portable >&2
rm -rf "$OUT"
mkdir -p "$OUT/lib"
# C# 7.0, warnings (missing XML docs included) are errors: the same flags as tests/csharp.sh.
mcs -langversion:7 -target:library -warnaserror+ -doc:"$OUT/lib/Ovo.xml" -out:"$OUT/lib/Ovo.dll" \
    "$ROOT"/bindings/csharp/src/*.cs
# nuget.exe wants a writable home for its settings; keep it in target/.
HOME="$ROOT/target/tools/nuget-home" nuget pack "$ROOT/bindings/csharp/Ovo.nuspec" \
    -BasePath "$ROOT" -OutputDirectory "$OUT" -Properties version="$VERSION" -NoPackageAnalysis \
    -NonInteractive >&2
echo "$OUT/Ovo.$VERSION.nupkg"
