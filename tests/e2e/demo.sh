#!/usr/bin/env bash
# The README's main job, on a machine with only the .NET SDK: pack and install bb as a .NET tool,
# start the bundled local OAuth 1.0a provider on 127.0.0.1, log in against it unattended (the
# provider's scripted browser approves), and make the original 1.0 example's call: list a repository's
# branches. Then the same as Bitbucket Data Center: the provider in Data Center mode, the three-flag
# RSA-SHA1 login, and the branch listing with the same command.
set -euo pipefail
cd "$(dirname "$0")/../.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

out="$PWD/artifacts/demo"
rm -rf "$out"
mkdir -p "$out"

feed="$out/feed"
if [ "${BB_DEMO_NATIVE:-auto}" != 0 ] && command -v clang >/dev/null 2>&1 && [ -e /usr/include/zlib.h ]; then
  # The fast build: the RID-specific tool package with the Native AOT binary (README "Install").
  echo "==> packing bb (Native AOT) and installing it into $out/tools" >&2
  { dotnet pack src/Bitbucket.Cli -c Release -o "$feed" &&
    dotnet pack src/Bitbucket.Cli -c Release -r linux-x64 -o "$feed" &&
    dotnet pack src/Bitbucket.Cli -c Release -r any -o "$feed"; } >"$out/pack.log" 2>&1 || { cat "$out/pack.log" >&2; exit 1; }
else
  # No clang/zlib1g-dev here: a framework-dependent tool package, which needs only the .NET SDK.
  echo "==> packing bb (framework-dependent; install clang and zlib1g-dev for the native build) into $out/tools" >&2
  dotnet pack src/Bitbucket.Cli -c Release -o "$feed" -p:PublishAot=false -p:ToolPackageRuntimeIdentifiers= \
    >"$out/pack.log" 2>&1 || { cat "$out/pack.log" >&2; exit 1; }
fi
# Only this feed and a private package cache, so a re-run installs the package just built.
cat >"$out/nuget.config" <<EOF2
<?xml version="1.0" encoding="utf-8"?>
<configuration><packageSources><clear /><add key="demo" value="$feed" /></packageSources></configuration>
EOF2
NUGET_PACKAGES="$out/nuget" dotnet tool install Bitbucket.Cli --tool-path "$out/tools" \
  --configfile "$out/nuget.config" >"$out/install.log" 2>&1 || { cat "$out/install.log" >&2; exit 1; }
bb="$out/tools/bb"

echo "==> starting the local OAuth 1.0a provider" >&2
dotnet build src/Bitbucket.LocalProvider -c Release >"$out/provider-build.log" 2>&1 || { cat "$out/provider-build.log" >&2; exit 1; }
provider="$PWD/src/Bitbucket.LocalProvider/bin/Release/net10.0/bb-local-provider"
pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true' EXIT
# start_provider NAME ARGS...: starts a provider in this shell (inside $(...) its process id would never reach
# the exit trap, and it would outlive the demo).
start_provider() {
  local name=$1
  shift
  "$provider" "$@" --auto-approve --quiet >"$out/$name.out" 2>"$out/$name.log" &
  pids+=($!)
}
# url_of NAME: waits for the provider's "listening on URL" line, prints the URL.
url_of() {
  for _ in $(seq 100); do grep -q '^listening on ' "$out/$1.out" 2>/dev/null && break; sleep 0.1; done
  local started
  started=$(sed -n 's/^listening on //p' "$out/$1.out")
  [ -n "$started" ] || { echo "the provider did not start:" >&2; cat "$out/$1.log" >&2; exit 1; }
  echo "$started"
}
start_provider provider
url=$(url_of provider)
echo "    $url" >&2

export BB_CONFIG_DIR="$out/config"
echo "==> bb auth login (request token → authorize → verifier on 127.0.0.1 → access token)" >&2
BROWSER="$provider approve" BB_CONSUMER_SECRET=bb-local-secret \
  "$bb" auth login --host local --api-url "$url" --consumer-key bb-local

echo "==> bb branches list alice demo" >&2
"$bb" branches list alice demo --format table

echo "==> the original 1.0 example's call: bb api /1.0/repositories/alice/demo/branches --query 'keys(@)'" >&2
"$bb" api /1.0/repositories/alice/demo/branches --query 'keys(@)'

echo "==> the provider as Bitbucket Data Center (RSA-SHA1 only; it writes its consumer's private key)" >&2
start_provider provider-dc --flavor datacenter --rsa-private-key-out "$out/dc-consumer.pem"
dc_url=$(url_of provider-dc)
echo "    $dc_url" >&2
echo "==> bb auth login --host work --api-url URL --consumer-key bb-local --rsa-key KEY (Data Center is recognised)" >&2
BROWSER="$provider approve" "$bb" auth login --host work --api-url "$dc_url" --consumer-key bb-local --rsa-key "$out/dc-consumer.pem"

echo "==> bb branches list PROJ demo --host work" >&2
"$bb" branches list PROJ demo --host work --format table
