#!/usr/bin/env bash
# The one benchmark command (docs/benchmarks.md): `bash bench/run.sh`.
#
# Builds the native bb (Native AOT, linux-x64), the local OAuth 1.0a provider and the in-process
# generator benchmark, then measures each figure side by side with its peer in one run and prints the
# table with ratios and targets. Everything it makes goes to artifacts/bench/ (BENCH_OUT to change it);
# the table is artifacts/bench/results.md, the raw figures results.json and the hyperfine exports.
#
# Environment: BB_NATIVE=/path/to/bb  use this native bb instead of publishing one
#              BENCH_RUNS=N            hyperfine runs per command (default 30)
#              BENCH_SMOKE=1           a smoke pass (tests/run): 1 run per command, no warm-up, one round,
#                                      300 instead of 10,000 repositories; output in artifacts/bench-smoke;
#                                      ends with "bench-smoke: N passed, N failed"
# Needs (Debian, installed when run as root): hyperfine gh curl time python3-requests-oauthlib
# python3-oauthlib clang zlib1g-dev. Talks only to 127.0.0.1. About 10 minutes on 2 cores.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

smoke=${BENCH_SMOKE:-0}
[ "$smoke" = 1 ] || smoke=0
if [ $smoke = 1 ]; then
  out=${BENCH_OUT:-$root/artifacts/bench-smoke}
  runs=1 warmup=0 rounds=1 repos=300 samples=1
else
  out=${BENCH_OUT:-$root/artifacts/bench}
  runs=${BENCH_RUNS:-30} warmup=3 rounds=3 repos=10000 samples=5
fi
mkdir -p "$out"
out=$(cd "$out" && pwd)
log="$out/build.log"
: >"$log"

say() { printf '==> %s\n' "$*" >&2; }
die() { printf 'bench: %s\n' "$*" >&2; exit 1; }
# A smoke pass counts each stage that completed; whatever ends the run early (die, a failing command
# under set -e) is its one failure, reported on exit.
smoke_passed=0
finished=0
passed() { smoke_passed=$((smoke_passed + 1)); [ $smoke = 0 ] || echo "  ok    $*" >&2; }

pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  if [ $smoke = 1 ]; then
    echo "bench-smoke: $smoke_passed passed, $((1 - finished)) failed"
  fi
}
trap cleanup EXIT

# --- prerequisites -------------------------------------------------------------------------------
need=()
command -v hyperfine >/dev/null || need+=(hyperfine)
command -v gh >/dev/null || need+=(gh)
command -v curl >/dev/null || need+=(curl)
[ -x /usr/bin/time ] || need+=(time)
/usr/bin/python3 -c 'import oauthlib, requests_oauthlib' 2>/dev/null || need+=(python3-oauthlib python3-requests-oauthlib)
if [ -z "${BB_NATIVE:-}" ]; then
  command -v clang >/dev/null || need+=(clang)
  [ -e /usr/include/zlib.h ] || need+=(zlib1g-dev)
fi
if [ ${#need[@]} -gt 0 ]; then
  [ "$(id -u)" = 0 ] || die "please install ${need[*]} (Debian packages) first"
  say "installing ${need[*]}"
  apt-get update -qq >>"$log" 2>&1
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >>"$log" 2>&1 || die "apt-get install failed (see $log)"
fi

# --- build ---------------------------------------------------------------------------------------
build() { # label, command...
  local label=$1; shift
  say "$label"
  "$@" >>"$log" 2>&1 || { tail -n 30 "$log" >&2; die "$label failed (see $log)"; }
}

if [ -n "${BB_NATIVE:-}" ]; then
  bb=$BB_NATIVE
else
  build "publishing the native bb (Native AOT, linux-x64)" \
    dotnet publish src/Bitbucket.Cli -c Release -r linux-x64 -o "$out/native"
  bb="$out/native/bb"
fi
[ -x "$bb" ] || die "no native bb at $bb"
build "building the local provider" dotnet build src/Bitbucket.LocalProvider -c Release
build "building the in-process benchmarks" dotnet build bench/Bitbucket.Cli.Bench -c Release
bench_dll="$root/bench/Bitbucket.Cli.Bench/bin/Release/net10.0/Bitbucket.Cli.Bench.dll"
provider_dll="$root/src/Bitbucket.LocalProvider/bin/Release/net10.0/bb-local-provider.dll"

rm -f "$out/empty-spec.json"
build "importing the reference OpenAPI document (256 operations)" \
  dotnet run --project src/Bitbucket.Cli.OpenApiImport -c Release -- \
  tests/Bitbucket.Cli.Spec.Tests/Fixtures/bitbucket-cloud-openapi-3.0.yml \
  --spec "$out/empty-spec.json" --out "$out/spec-256.json"

passed "bench/ builds (provider, in-process benchmarks, OpenAPI import)"

# --- the local provider with a 10,000-repository workspace ---------------------------------------
# bench: 10,000 repositories = 100 pages of 100 (smoke: 300 = 3 pages); bench1: 100 repositories = 1 page of 100.
/usr/bin/python3 - "$out/seed.json" "$repos" <<'PY'
import json, sys
repos = [{"workspace": "bench", "slug": f"repo-{i:05d}", "description": f"Benchmark repository {i}",
          "language": "c#", "role": "owner"} for i in range(1, int(sys.argv[2]) + 1)]
repos += [{"workspace": "bench1", "slug": f"repo-{i:05d}", "description": f"Benchmark repository {i}",
           "language": "c#", "role": "owner"} for i in range(1, 101)]
json.dump({"repositories": repos}, open(sys.argv[1], "w"))
PY

say "starting the local provider"
# Emptied first: the redirection below truncates the file only once the background job runs, and the
# wait loop must not read the line a previous run left there.
: >"$out/provider.out"
dotnet "$provider_dll" --port 0 --auto-approve --quiet --seed-file "$out/seed.json" >"$out/provider.out" 2>"$out/provider.log" &
pids+=($!)
for _ in $(seq 300); do grep -q '^listening on ' "$out/provider.out" 2>/dev/null && break; sleep 0.1; done
api=$(sed -n 's/^listening on //p' "$out/provider.out")
[ -n "$api" ] || { cat "$out/provider.log" >&2; die "the provider did not start"; }

# --- log in once: bb prints the authorize URL, curl plays the browser ---------------------------
export BB_CONFIG_DIR="$out/config"
rm -rf "$BB_CONFIG_DIR"
login() { # host name, API URL (http or https: over https curl trusts SSL_CERT_FILE, as bb does)
  local host=$1 base=$2 login url= token location
  say "bb auth login --host $host against $base"
  : >"$out/login-$host.err"
  BB_CONSUMER_SECRET=bb-local-secret "$bb" auth login --host "$host" --api-url "$base" --consumer-key bb-local --no-browser \
    >"$out/login-$host.out" 2>"$out/login-$host.err" &
  login=$!
  pids+=($login)
  for _ in $(seq 300); do
    url=$(grep -o -m1 'https\{0,1\}://[^ ]*oauth_token=[^ ]*' "$out/login-$host.err" 2>/dev/null || true)
    [ -n "$url" ] && break
    sleep 0.1
  done
  [ -n "$url" ] || { cat "$out/login-$host.err" >&2; die "bb auth login printed no authorize URL"; }
  token=${url##*oauth_token=}
  curl -fsS -o /dev/null "$url"
  location=$(curl -sS -o /dev/null -D - -X POST -d "oauth_token=$token" -d action=approve "${url%%\?*}" | tr -d '\r' | sed -n 's/^[Ll]ocation: //p')
  [ -n "$location" ] || die "the approve page did not redirect"
  curl -fsS -o /dev/null "$location"
  wait "$login" || { cat "$out/login-$host.err" >&2; die "bb auth login --host $host failed"; }
}
login local "$api"

# The peer signs with the same credentials bb stored.
eval "$(/usr/bin/python3 - "$BB_CONFIG_DIR/hosts.json" <<'PY'
import json, shlex, sys
host = json.load(open(sys.argv[1]))["hosts"]["local"]
account = host["accounts"][host["defaultAccount"]]
for name, value in [("BENCH_API_URL", host["apiUrl"]), ("BENCH_CONSUMER_KEY", host["consumerKey"]),
                    ("BENCH_CONSUMER_SECRET", host["consumerSecret"]), ("BENCH_TOKEN", account["token"]),
                    ("BENCH_TOKEN_SECRET", account["tokenSecret"])]:
    print(f"export {name}={shlex.quote(value)}")
PY
)"

"$bb" user get >/dev/null || die "bb user get failed"
/usr/bin/python3 bench/peers/signed_get.py >/dev/null || die "the requests-oauthlib peer failed"
items=$("$bb" repos list bench --pagelen 100 --paginate --jsonl | wc -l)
[ "$items" = "$repos" ] || die "bb repos list bench --paginate gave $items items, expected $repos"
passed "bb logged in; signed GET and paginate work over plain HTTP"

# Whole-command timings run in 3 interleaved rounds (bb, peers, bb, peers, …) so that load from
# other work on the machine drifts over all commands alike; report.py takes the median of all runs.
hf() { # name, then hyperfine arguments
  local name=$1 round; shift
  for round in $(seq $rounds); do
    hyperfine -N --style basic --warmup $warmup --runs $(( (runs + rounds - 1) / rounds )) --export-json "$out/$name-$round.json" "$@"
  done
}

# --- 1. cold start -------------------------------------------------------------------------------
say "cold start: bb --version vs gh --version vs curl --version"
hf cold-start -n "bb --version" "$bb --version" -n "gh --version" "gh --version" \
  -n "curl --version" "curl --version"

# --- 2. one signed GET ---------------------------------------------------------------------------
say "one signed GET of /2.0/user: bb vs requests-oauthlib vs unsigned curl; and one from a group of 28 commands"
"$bb" prs list bench repo-00001 >/dev/null || die "bb prs list failed"
hf signed-get -n "bb user get" "$bb user get" \
  -n "python requests-oauthlib" "/usr/bin/python3 $root/bench/peers/signed_get.py" \
  -n "curl (unsigned)" "curl -s -o /dev/null $api/2.0/user" \
  -n "bb prs list" "$bb prs list bench repo-00001" \
  -n "curl (unsigned, pull requests)" "curl -s -o /dev/null $api/2.0/repositories/bench/repo-00001/pullrequests"

# --- 3. --paginate: 100 pages vs 1 page ----------------------------------------------------------
# The local provider shapes a whole workspace's list for every page it serves, so the 100-page run
# is bound by the server (about 0.2 s a page here); bb's own CPU time is recorded beside wall time.
say "--paginate: 100 pages of 100 vs 1 page of 100 (/usr/bin/time: wall, CPU, peak RSS; 5 runs each)"
paginate() { # workspace → JSON list of {"wall_s","user_s","sys_s","rss_kib"}
  local first=1 line
  printf '['
  for _ in $(seq $samples); do
    line=$( { /usr/bin/time -f '%e %U %S %M' "$bb" repos list "$1" --pagelen 100 --paginate >/dev/null; } 2>&1 | tail -n 1)
    set -- "$1" $line
    [ $first = 1 ] || printf ','
    first=0
    printf '{"wall_s": %s, "user_s": %s, "sys_s": %s, "rss_kib": %s}' "$2" "$3" "$4" "$5"
  done
  printf ']'
}
printf '{"pages_100": %s, "pages_1": %s}\n' "$(paginate bench)" "$(paginate bench1)" >"$out/paginate.json"
passed "cold start, signed GET and paginate measured"

# --- 4. HTTPS (issue 17.4) -----------------------------------------------------------------------
# A second provider serves TLS with a self-signed certificate it makes at start-up; SSL_CERT_FILE names
# it for bb and curl alike (curl 7.88 ignores it when CURL_CA_BUNDLE or SSL_CERT_DIR is set, so those are
# unset; .NET still reads its default directory, /etc/ssl/certs, beside the file). bb logs in to
# it as host local-tls. The 10-page paginate (big: 250 repositories in pages of 25) records the
# connections the provider accepted, i.e. TLS handshakes (/__test/connections; curl's own hook
# requests are not counted), with the window of 4 and with --parallel 1.
say "starting the local provider over HTTPS"
: >"$out/provider-tls.out"
dotnet "$provider_dll" --port 0 --https --tls-cert-out "$out/tls-cert.pem" --test-hooks --auto-approve --quiet \
  >"$out/provider-tls.out" 2>"$out/provider-tls.log" &
pids+=($!)
for _ in $(seq 300); do grep -q '^listening on ' "$out/provider-tls.out" 2>/dev/null && break; sleep 0.1; done
tls_api=$(sed -n 's/^listening on //p' "$out/provider-tls.out")
[ -n "$tls_api" ] || { cat "$out/provider-tls.log" >&2; die "the HTTPS provider did not start"; }
export SSL_CERT_FILE="$out/tls-cert.pem"
unset CURL_CA_BUNDLE SSL_CERT_DIR
login local-tls "$tls_api"
"$bb" user get --host local-tls >/dev/null || die "bb user get over TLS failed"

say "one signed GET over TLS: bb vs unsigned curl"
hf tls-get -n "bb user get (TLS)" "$bb user get --host local-tls" \
  -n "curl (unsigned, TLS)" "curl -s -o /dev/null $tls_api/2.0/user"

say "--paginate over TLS: 10 pages of 25, connections counted by the provider ($samples runs each)"
tls_paginate() { # extra bb arguments → JSON list of {"wall_s","user_s","sys_s","rss_kib","provider":{…}}
  local first=1 line counted wall user sys rss
  printf '['
  for _ in $(seq $samples); do
    curl -fsS -o /dev/null -X DELETE "$tls_api/__test/connections" || return 1
    line=$( { /usr/bin/time -f '%e %U %S %M' "$bb" repos list big --pagelen 25 --paginate --host local-tls "$@" >/dev/null; } 2>&1 | tail -n 1)
    counted=$(curl -fsS "$tls_api/__test/connections") || return 1
    read -r wall user sys rss <<<"$line"
    [ $first = 1 ] || printf ','
    first=0
    printf '{"wall_s": %s, "user_s": %s, "sys_s": %s, "rss_kib": %s, "provider": %s}' "$wall" "$user" "$sys" "$rss" "$counted"
  done
  printf ']'
}
tls_window=$(tls_paginate) || die "the paginate over TLS failed"
tls_sequential=$(tls_paginate --parallel 1) || die "the paginate over TLS (--parallel 1) failed"
printf '{"window_4": %s, "parallel_1": %s}\n' "$tls_window" "$tls_sequential" >"$out/tls-paginate.json"
/usr/bin/python3 -c '
import json, sys
runs = json.load(open(sys.argv[1]))
sys.exit(0 if all(r["provider"]["connections"] == 1 for k in runs for r in runs[k]) else 1)
' "$out/tls-paginate.json" || die "a paginate over TLS did not use exactly one connection (see $out/tls-paginate.json)"
passed "over TLS: signed GET measured; a 10-page paginate is one connection"

# --- 5. generator --------------------------------------------------------------------------------
say "generator: 256 operations, full runs and an unrelated edit"
dotnet "$bench_dll" generator --spec "$out/spec-256.json" --out "$out/generator.json" >/dev/null

# --- 6. the packages for the platforms without a native one (17.5) and paging (17.1, 17.2, 17.6) ---
# Their own scripts (also runnable alone), in this same run; the smoke pass leaves them to their own
# smoke modes. any.sh uses this run's provider and login; paging.sh starts its own providers.
if [ $smoke = 0 ]; then
  say "the ReadyToRun packages and the any package against gh: bench/any.sh"
  BB_HOST=local BB_NATIVE=$bb BENCH_OUT=$out BENCH_API_URL=$api bash bench/any.sh >"$out/any.log" 2>&1 || { tail -n 20 "$out/any.log" >&2; die "bench/any.sh failed"; }
  say "paging: bench/paging.sh"
  BB_NATIVE=$bb BENCH_OUT=$out bash bench/paging.sh >"$out/paging.log" 2>&1 || { tail -n 20 "$out/paging.log" >&2; die "bench/paging.sh failed"; }
fi

# --- the table -----------------------------------------------------------------------------------
/usr/bin/python3 bench/report.py "$out" || die "report.py failed"
passed "generator measured; report written"
if [ $smoke = 0 ]; then
  for part in any paging; do
    { printf '\n'; cat "$out/$part.md"; } | tee -a "$out/results.md"
  done
fi
finished=1
