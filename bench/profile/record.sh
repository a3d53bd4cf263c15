#!/usr/bin/env bash
# Records the ReadyToRun profile of bb's self-contained packages (osx-arm64, osx-x64, win-x64, linux-arm64):
# `bash bench/profile/record.sh` rewrites src/Bitbucket.Cli/bb.mibc. Run it again when a change to bb (or to a
# package it uses) shows up in bench/any.sh's "methods JIT-compiled" line (docs/benchmarks.md, "17.5").
#
# It publishes the linux-x64 stand-in of those packages without the profile (-p:BbReadyToRunProfile=false), runs
# a set of commands against the bundled local provider, as Bitbucket Cloud and as Data Center, with the JIT's
# list of every method it compiled (DOTNET_JitStdOutFile), and turns the lists into a .mibc with
# bench/profile/make-mibc.cs. crossgen2 then precompiles those methods into the composite image
# (ReadyToRunPackage.props: PublishReadyToRunPgoFiles): generic instantiations its own analysis does not reach.
# Talks only to 127.0.0.1. Work files: artifacts/profile/.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

work=$root/artifacts/profile
rm -rf "$work"
mkdir -p "$work/lists"
log="$work/build.log"
say() { printf '==> %s\n' "$*" >&2; }
die() { printf 'record: %s\n' "$*" >&2; exit 1; }

say "publishing the linux-x64 stand-in without the profile"
dotnet publish src/Bitbucket.Cli -c Release -r linux-x64 -p:BbReadyToRunStandIn=true -p:BbReadyToRunProfile=false \
  -o "$work/r2r" >"$log" 2>&1 || { tail -n 30 "$log" >&2; die "publish failed (see $log)"; }
bb="$work/r2r/bb"

say "building the local provider"
dotnet build src/Bitbucket.LocalProvider -c Release >>"$log" 2>&1 || { tail -n 30 "$log" >&2; die "provider build failed"; }
provider="$root/src/Bitbucket.LocalProvider/bin/Release/net10.0/bb-local-provider"

pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true' EXIT
start_provider() { # NAME ARGS...: in this shell (not $(...)), so the trap can stop it
  local name=$1
  shift
  "$provider" "$@" --auto-approve --quiet >"$work/$name.out" 2>"$work/$name.log" &
  pids+=($!)
}
url_of() { # NAME: waits for the provider's "listening on URL" line, prints the URL
  for _ in $(seq 300); do grep -q '^listening on ' "$work/$1.out" 2>/dev/null && break; sleep 0.1; done
  sed -n 's/^listening on //p' "$work/$1.out"
}
start_provider cloud
start_provider dc --flavor datacenter --rsa-private-key-out "$work/dc-consumer.pem"
cloud=$(url_of cloud)
dc=$(url_of dc)
[ -n "$cloud" ] && [ -n "$dc" ] || die "a provider did not start (see $work/*.log)"

export BB_CONFIG_DIR="$work/config"
say "logging in (Cloud as local, Data Center as work)"
BROWSER="$provider approve" BB_CONSUMER_SECRET=bb-local-secret \
  "$bb" auth login --host local --api-url "$cloud" --consumer-key bb-local >"$work/login.log" 2>&1 \
  || { cat "$work/login.log" >&2; die "Cloud login failed"; }
BROWSER="$provider approve" "$bb" auth login --host work --api-url "$dc" --consumer-key bb-local \
  --rsa-key "$work/dc-consumer.pem" >>"$work/login.log" 2>&1 || { cat "$work/login.log" >&2; die "Data Center login failed"; }

# What the profile covers: start-up, help, the figures' commands (bench/any.sh), paging, tables, the raw API
# command, and Data Center's signed (RSA-SHA1) requests.
n=0
record() {
  n=$((n + 1))
  # The runtime's JIT list itself (DOTNET_JitStdOutFile) sometimes crashes a process at exit (about 1 run in 15
  # here; never without it): a run killed by a signal is repeated.
  local status=0
  for _ in 1 2 3; do
    status=0
    DOTNET_JitStdOutFile="$work/lists/$n.txt" DOTNET_JitDisasmSummary=1 "$bb" "$@" >/dev/null 2>"$work/lists/$n.err" || status=$?
    [ "$status" -ge 128 ] || break
  done
  [ "$status" = 0 ] || { cat "$work/lists/$n.err" >&2; die "bb $* failed (exit $status)"; }
  printf '    %4d methods JIT-compiled: bb %s\n' "$(wc -l <"$work/lists/$n.txt")" "$*" >&2
}
say "recording"
record --version
record --help
record user get
record prs list alice demo
record repos list alice --paginate
record branches list alice demo --format table
record api /2.0/user
record auth status
record branches list PROJ demo --host work
record branches list PROJ demo --host work --paginate --jsonl

say "writing src/Bitbucket.Cli/bb.mibc"
dotnet run bench/profile/make-mibc.cs -- "$work/r2r" src/Bitbucket.Cli/bb.mibc "$work"/lists/*.txt
