#!/usr/bin/env bash
# Native AOT smoke test: packs bb as the .NET 10 RID-specific tool package (pointer + native linux-x64
# + framework-dependent `any` fallback, and osx-arm64 standing for the self-contained composite ReadyToRun
# packages, whose PE headers tests/packaging/check-package.cs reads) into a temporary feed, installs it with `dotnet tool install
# --tool-path`, proves the installed bb is the native binary, and runs it against the local OAuth 1.0a
# provider: help, version, login (curl approves like a browser), generated commands, a JMESPath query.
# A trimmed binary can build cleanly and still be broken (Cocona or JmesPath.Net losing what they
# reflect over), so only running it proves it. Ends with "aot-smoke: N passed, N failed"; exits
# non-zero on any failure. Re-runnable: everything it makes is in a temporary directory it removes.
#
# Needs clang and zlib1g-dev for Native AOT (installed here when run as root, e.g. in CI) and curl.
set -uo pipefail
cd "$(dirname "$0")/.."
root=$PWD
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

work=$(mktemp -d "${TMPDIR:-/tmp}/bb-aot-smoke.XXXXXX")
feed="$work/feed"
log="$work/log.txt"
mkdir -p "$feed"
provider_pid=
login_pid=

cleanup() {
  for p in $login_pid $provider_pid; do
    kill "$p" 2>/dev/null || true
    wait "$p" 2>/dev/null || true
  done
  rm -rf "$work"
}
trap cleanup EXIT

die() {
  echo "aot-smoke: $*" >&2
  [ -f "$log" ] && tail -n 40 "$log" >&2
  echo "aot-smoke: 0 passed, 1 failed"
  exit 1
}

passed=0
failed=0
check() { # name, then a command whose exit status decides
  local name=$1; shift
  if "$@" >>"$log" 2>&1; then
    passed=$((passed + 1)); echo "  ok    $name"
  else
    failed=$((failed + 1)); echo "  FAIL  $name" ; tail -n 15 "$log" | sed 's/^/        /'
  fi
}

# --- toolchain ----------------------------------------------------------------------------------
need=()
command -v clang >/dev/null 2>&1 || need+=(clang)
[ -e /usr/include/zlib.h ] || need+=(zlib1g-dev)
command -v curl >/dev/null 2>&1 || need+=(curl)
command -v file >/dev/null 2>&1 || need+=(file)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "aot-smoke: installing ${need[*]}" >&2
    apt-get update -qq >>"$log" 2>&1 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >>"$log" 2>&1 \
      || die "apt-get install ${need[*]} failed"
  else
    die "please install ${need[*]} (Debian packages) first"
  fi
fi

# --- pack the three packages and install -------------------------------------------------------
echo "aot-smoke: packing Bitbucket.Cli (pointer), Bitbucket.Cli.linux-x64 (Native AOT), Bitbucket.Cli.any" >&2
dotnet pack src/Bitbucket.Cli -c Release -o "$feed" >>"$log" 2>&1 || die "dotnet pack (pointer) failed"
dotnet pack src/Bitbucket.Cli -c Release -r linux-x64 -o "$feed" >>"$log" 2>&1 || die "dotnet pack -r linux-x64 failed"
dotnet pack src/Bitbucket.Cli -c Release -r any -o "$feed" >>"$log" 2>&1 || die "dotnet pack -r any failed"
# One self-contained composite ReadyToRun package stands for the four (osx-arm64, osx-x64, win-x64, linux-arm64
# are made by the same property group); the trimmer and crossgen2 compile it here for macOS on arm64.
echo "aot-smoke: packing Bitbucket.Cli.osx-arm64 (self-contained, trimmed, composite ReadyToRun)" >&2
dotnet pack src/Bitbucket.Cli -c Release -r osx-arm64 -o "$feed" >>"$log" 2>&1 || die "dotnet pack -r osx-arm64 failed"
dotnet build src/Bitbucket.LocalProvider -c Release >>"$log" 2>&1 || die "building the local provider failed"

# Only the temporary feed, and a private package cache, so the packages just made are the ones
# installed (artifacts/packages or ~/.nuget may hold another Bitbucket.Cli of the same version).
cat >"$work/nuget.config" <<EOF
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <clear />
    <add key="smoke" value="$feed" />
  </packageSources>
</configuration>
EOF
install_tool() { # package id, tool path
  (cd "$work" && NUGET_PACKAGES="$work/nuget" dotnet tool install --tool-path "$2" --configfile "$work/nuget.config" "$1")
}
install_tool Bitbucket.Cli "$work/tools" >>"$log" 2>&1 || die "dotnet tool install Bitbucket.Cli failed"
bb="$work/tools/bb"

# --- the packages ---------------------------------------------------------------------------------
check_package() { dotnet run tests/packaging/check-package.cs -- "$@"; }
check "the pointer package lists linux-x64, linux-arm64, osx-arm64, osx-x64, win-x64 and any (check-package.cs)" \
  check_package "$feed/Bitbucket.Cli.0.1.0.nupkg" pointer linux-x64 linux-arm64 osx-arm64 osx-x64 win-x64 any
check "Bitbucket.Cli.osx-arm64 is self-contained: a composite ReadyToRun image for macOS arm64, its components, the macOS runtime, a Mach-O launcher (check-package.cs)" \
  check_package "$feed/Bitbucket.Cli.osx-arm64.0.1.0.nupkg" osx-arm64
# The profile those packages are compiled with (bench/profile/record.sh): read back as crossgen2 reads it, it must
# name the async state-machine boxes (the shared instantiations crossgen2 does not reach by itself), not be empty.
profile_boxes() {
  local n
  n=$(dotnet run bench/profile/make-mibc.cs -- --list src/Bitbucket.Cli/bb.mibc | grep -c 'AsyncStateMachineBox`1<…>::MoveNext$')
  echo "profile_boxes: $n async state-machine boxes named" >&2
  [ "$n" -ge 20 ]
}
check "the ReadyToRun profile (src/Bitbucket.Cli/bb.mibc) names the async state-machine boxes to precompile (make-mibc.cs --list)" profile_boxes
check "Bitbucket.Cli.any is plain IL without a launcher, the fallback for every platform (check-package.cs)" \
  check_package "$feed/Bitbucket.Cli.any.0.1.0.nupkg" any

echo "aot-smoke: running the installed bb" >&2
is_native() {
  local real dir
  real=$(readlink -f "$bb") && dir=$(dirname "$real") || return 1
  echo "installed: $real"
  file "$real"
  file "$real" | grep -q 'ELF 64-bit' || return 1
  # A framework-dependent tool has bb.dll and bb.runtimeconfig.json next to its launcher.
  [ ! -e "$dir/bb.dll" ] && [ ! -e "$dir/bb.runtimeconfig.json" ] || return 1
  [ "$(stat -c %s "$real")" -gt 5000000 ]
}
check "dotnet tool install picked the native linux-x64 binary" is_native
# tests/run runs the bench smoke pass with this same native bb: AOT_SMOKE_KEEP_NATIVE=DIR keeps a copy.
if [ -n "${AOT_SMOKE_KEEP_NATIVE:-}" ]; then
  mkdir -p "$AOT_SMOKE_KEEP_NATIVE" && cp -R "$(dirname "$(readlink -f "$bb")")/." "$AOT_SMOKE_KEEP_NATIVE/"
fi

run() { timeout --kill-after=5 60 "$bb" "$@"; }

help_lists_groups() {
  local text
  text=$(run --help) || return 1
  echo "$text"
  for word in "CORE COMMANDS" api auth user repos branches prs; do
    grep -q -- "$word" <<<"$text" || { echo "missing: $word"; return 1; }
  done
}
check "bb --help exits 0 and lists the command groups" help_lists_groups
check "bb --version" bash -c '"$0" --version | grep -Eq "^bb [0-9]+\.[0-9]+"' "$bb"
check "bb branches --help (a generated group)" bash -c '"$0" branches --help | grep -q "List a repository"' "$bb"

# --- the local provider and a login --------------------------------------------------------------
dotnet "$root/src/Bitbucket.LocalProvider/bin/Release/net10.0/bb-local-provider.dll" --port 0 --auto-approve --quiet \
  >"$work/provider.out" 2>"$work/provider.err" &
provider_pid=$!
for _ in $(seq 300); do grep -q '^listening on ' "$work/provider.out" 2>/dev/null && break; sleep 0.1; done
api=$(sed -n 's/^listening on //p' "$work/provider.out")
[ -n "$api" ] || { cat "$work/provider.err" >>"$log"; die "the local provider did not start"; }
export BB_CONFIG_DIR="$work/config"

login() {
  BB_CONSUMER_SECRET=bb-local-secret timeout --kill-after=5 60 "$bb" auth login --host local --api-url "$api" \
    --consumer-key bb-local --no-browser >"$work/login.out" 2>"$work/login.err" &
  login_pid=$!
  local url= token location
  for _ in $(seq 300); do
    url=$(grep -o -m1 'http://[^ ]*oauth_token=[^ ]*' "$work/login.err" 2>/dev/null) && break
    sleep 0.1
  done
  [ -n "$url" ] || { cat "$work/login.err"; return 1; }
  token=${url##*oauth_token=}
  # What a browser does: open the approve page, submit Approve, follow the 302 to bb's callback.
  curl -fsS -o /dev/null "$url" || return 1
  location=$(curl -sS -o /dev/null -D - -X POST -d "oauth_token=$token" -d action=approve "${url%%\?*}" \
    | tr -d '\r' | sed -n 's/^[Ll]ocation: //p')
  [ -n "$location" ] || { echo "no redirect from the approve page"; return 1; }
  curl -fsS -o /dev/null "$location" || return 1
  wait "$login_pid"; local status=$?
  login_pid=
  cat "$work/login.out" "$work/login.err"
  [ "$status" = 0 ] && grep -q "Logged in" "$work/login.out" "$work/login.err"
}
check "bb auth login --no-browser (approved with curl)" login
check "bb branches list alice demo --api-url (generated command, signed)" \
  bash -c '"$0" branches list alice demo --api-url "$1" | grep -q "feature/login"' "$bb" "$api"
check "bb user get" bash -c '"$0" user get | grep -q "\"username\":\"alice\""' "$bb"
check "bb --query with JMESPath functions (JmesPath.Net is rooted)" \
  bash -c '[ "$("$0" branches list alice demo --query "sort(values[].name)[0]")" = "bugfix/typo-in-readme" ]' "$bb"
check "bb repos list alice --paginate --format table" \
  bash -c '"$0" repos list alice --paginate --format table | grep -q "api-client"' "$bb"
check "bb branches list alice many --limit 3 --jsonl (a nullable number option)" \
  bash -c '[ "$("$0" branches list alice many --limit 3 --jsonl | wc -l)" = 3 ]' "$bb"
check "bb api --form -f -H (string[] options, a signed form body)" \
  bash -c '"$0" api /2.0/echo/form --form -f a=b -f "c=d e" -H "X-Smoke: 1" | grep -q "\"c\":\[\"d e\"\]"' "$bb"
check "a usage error exits 2" bash -c '"$0" branches list alice; [ $? = 2 ]' "$bb"
check "the 3 MiB gen0 budget is compiled in (paginate peak RSS, docs/benchmarks.md)" \
  bash -c 'grep -aq "GCgen0size" "$0"' "$bb"
check "linked at a fixed address (ELF type EXEC: start-up, docs/benchmarks.md \"The floor\")" \
  bash -c '[ "$(od -An -j16 -N2 -tu2 "$(readlink -f "$0")" | tr -d " ")" = 2 ]' "$bb"

# --- the framework-dependent fallback ------------------------------------------------------------
any_fallback() {
  install_tool Bitbucket.Cli.any "$work/tools-any" || return 1
  local real
  real=$(readlink -f "$work/tools-any/bb")
  ls "$(dirname "$real")" | grep -q '^bb.dll$' || ls -R "$work/tools-any/.store" | grep -q '^bb.dll$' || return 1
  timeout 60 "$work/tools-any/bb" --version | grep -Eq '^bb [0-9]'
}
check "Bitbucket.Cli.any (framework-dependent fallback) installs and runs" any_fallback

echo "aot-smoke: $passed passed, $failed failed"
[ "$failed" = 0 ]
