#!/usr/bin/env bash
# Packs what this registry lacks into .packages/ (listed in nuget.config) so a plain restore works.
# Yarp.ReverseProxy 2.1.0 needs System.IO.Hashing, absent here; the .NET SDK ships the same assembly.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out="$root/.packages"
version=10.0.0
nupkg="$out/system.io.hashing.$version.nupkg"
[ -f "$nupkg" ] && exit 0

sdk_dir=$(dotnet --list-sdks | tail -n 1 | sed -E 's/^([^ ]+) \[(.*)\]$/\2\/\1/')
dll="$sdk_dir/Sdks/Microsoft.NET.Sdk/tools/net10.0/System.IO.Hashing.dll"
[ -f "$dll" ] || { echo "System.IO.Hashing.dll not found under $sdk_dir: install the .NET 10 SDK" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/lib/net10.0" "$out"
cp "$dll" "$work/lib/net10.0/"
cat > "$work/System.IO.Hashing.nuspec" <<NUSPEC
<?xml version="1.0" encoding="utf-8"?>
<package xmlns="http://schemas.microsoft.com/packaging/2013/05/nuspec.xsd">
  <metadata>
    <id>System.IO.Hashing</id>
    <version>$version</version>
    <authors>Microsoft (repacked from the .NET SDK)</authors>
    <description>The .NET SDK's System.IO.Hashing.dll, packed locally because the registry lacks it.</description>
  </metadata>
</package>
NUSPEC
(cd "$work" && zip -q -r "$nupkg" System.IO.Hashing.nuspec lib)
echo "packed $nupkg"
