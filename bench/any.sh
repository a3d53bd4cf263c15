#!/usr/bin/env bash
# The framework-dependent packages' figures of issue 17.5 (docs/benchmarks.md, "The framework-dependent
# packages (17.5)"): `bash bench/any.sh`.
#
# Start-up (`--version`) and one signed GET (`bb user get`) for
#   - the `any` package as packed and installed (plain IL, JIT; what a platform without its own package gets),
#   - self-contained, trimmed, composite ReadyToRun, linux-x64: the runnable stand-in on this machine for the
#     osx-arm64, osx-x64, win-x64 and linux-arm64 packages (built by their property group in
#     src/Bitbucket.Cli/Bitbucket.Cli.csproj through -p:BbReadyToRunStandIn=true: same properties, another target),
#   - the runtime floor (bench/floor, built the same way): a version line, and one HMAC-SHA1 plus one HttpClient
#     GET of the URL `bb user get` fetches; what any .NET program in that shape pays, so bb's own share shows,
#   - the native linux-x64 bb, for scale,
# against `gh --version` and `gh api /user`. gh cannot talk OAuth 1.0a to the local provider, so its GET
# goes to a loopback HTTP server: gh asks for http://api.github.localhost/user (gh's local-development
# host, plain HTTP) through HTTP_PROXY=127.0.0.1, which answers a small JSON user. That is one
# authenticated GET (a token header) against bb's signed one: the same round trip, not the same server.
#
# Environment: BB_NATIVE=/path/to/bb  the native bb (else artifacts/bench/native/bb, published when missing)
#              BENCH_API_URL + BB_CONFIG_DIR  a provider and a logged-in config to use (else it starts
#                                     its own local provider and logs in)
#              ANY_RUNS=N            hyperfine runs per command (default 20)
#              ANY_SMOKE=1           one run each, no warm-up (CI: checks the script still works)
# Needs hyperfine, gh, python3, curl. Talks only to 127.0.0.1. Builds into artifacts/bench/any/; the table
# is artifacts/bench/any.md, the hyperfine exports artifacts/bench/any/*.json.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

out=${BENCH_OUT:-$root/artifacts/bench}
runs=${ANY_RUNS:-20}
warmup=3
if [ "${ANY_SMOKE:-0}" = 1 ]; then runs=1; warmup=0; fi
mkdir -p "$out"
out=$(cd "$out" && pwd)
work="$out/any"
rm -rf "$work"
mkdir -p "$work"
log="$work/build.log"
: >"$log"

say() { printf '==> %s\n' "$*" >&2; }
die() { printf 'bench: %s\n' "$*" >&2; exit 1; }
for tool in hyperfine gh python3 curl; do command -v "$tool" >/dev/null || die "please install $tool first"; done
build() { # label, command...
  local label=$1; shift
  say "$label"
  "$@" >>"$log" 2>&1 || { tail -n 30 "$log" >&2; die "$label failed (see $log)"; }
}

# --- the builds ----------------------------------------------------------------------------------
bb_native=${BB_NATIVE:-$out/native/bb}
if [ ! -x "$bb_native" ]; then
  build "publishing the native bb (Native AOT, linux-x64)" \
    dotnet publish src/Bitbucket.Cli -c Release -r linux-x64 -o "$out/native"
  bb_native="$out/native/bb"
fi
build "publishing bb self-contained, trimmed, composite ReadyToRun (linux-x64 stand-in)" \
  dotnet publish src/Bitbucket.Cli -c Release -r linux-x64 -p:BbReadyToRunStandIn=true -o "$work/r2r"
bb_r2r="$work/r2r/bb"
build "publishing the runtime floor (bench/floor, same shape)" \
  dotnet publish bench/floor -c Release -r linux-x64 -o "$work/floor"
floor="$work/floor/floor"
build "packing Bitbucket.Cli.any" dotnet pack src/Bitbucket.Cli -c Release -r any -o "$work/feed"
cat >"$work/nuget.config" <<EOF
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <clear />
    <add key="any" value="$work/feed" />
  </packageSources>
</configuration>
EOF
# A private package cache: ~/.nuget may hold another Bitbucket.Cli.any of the same version.
build "installing Bitbucket.Cli.any (dotnet tool install --tool-path)" \
  bash -c 'cd "$1" && NUGET_PACKAGES="$1/nuget" dotnet tool install --tool-path "$1/tools" --configfile "$1/nuget.config" Bitbucket.Cli.any' \
  _ "$work"
bb_any="$work/tools/bb"
for b in "$bb_native" "$bb_r2r" "$bb_any" "$floor"; do [ -x "$b" ] || die "no executable at $b"; done

# --- a provider and a login, unless run.sh handed them over ---------------------------------------
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
}
trap cleanup EXIT

if [ -n "${BENCH_API_URL:-}" ] && [ -n "${BB_CONFIG_DIR:-}" ]; then
  api=$BENCH_API_URL
else
  build "building the local provider" dotnet build src/Bitbucket.LocalProvider -c Release
  provider_dll="$root/src/Bitbucket.LocalProvider/bin/Release/net10.0/bb-local-provider.dll"
  say "starting the local provider"
  dotnet "$provider_dll" --port 0 --auto-approve --quiet >"$work/provider.out" 2>"$work/provider.log" &
  pids+=($!)
  for _ in $(seq 1200); do grep -q '^listening on ' "$work/provider.out" 2>/dev/null && break; sleep 0.1; done
  api=$(sed -n 's/^listening on //p' "$work/provider.out")
  [ -n "$api" ] || { cat "$work/provider.log" >&2; die "the provider did not start"; }
  export BB_CONFIG_DIR="$work/config"
  say "bb auth login against $api (the provider's approve command plays the browser)"
  BROWSER="dotnet $provider_dll approve" BB_CONSUMER_SECRET=bb-local-secret \
    "$bb_native" auth login --host local --api-url "$api" --consumer-key bb-local >"$work/login.log" 2>&1 \
    || { cat "$work/login.log" >&2; die "bb auth login failed"; }
fi

# --- gh's GET: a loopback server behind HTTP_PROXY -----------------------------------------------
/usr/bin/env python3 - "$work/gh-server.port" >"$work/gh-server.log" 2>&1 <<'PY' &
import http.server, json, os, sys

class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def do_GET(self):
        body = json.dumps({"login": "alice", "id": 1, "type": "User", "name": "Alice"}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def log_message(self, *args):
        pass

server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
with open(sys.argv[1] + ".tmp", "w") as f:
    f.write(str(server.server_address[1]))
os.rename(sys.argv[1] + ".tmp", sys.argv[1])
server.serve_forever()
PY
pids+=($!)
for _ in $(seq 300); do [ -s "$work/gh-server.port" ] && break; sleep 0.1; done
[ -s "$work/gh-server.port" ] || die "the loopback server for gh did not start"
# gh reads only these: no config of the user's, no token of the user's, nothing but 127.0.0.1. bb honours
# HTTP_PROXY too: NO_PROXY keeps its requests to the provider direct, while gh's host is not 127.0.0.1 and
# still goes through the proxy (not "localhost" there: Go would match api.github.localhost with it); one
# hyperfine run then holds gh and bb side by side.
export GH_CONFIG_DIR="$work/gh-config" GH_TOKEN=bench GH_ENTERPRISE_TOKEN=bench GH_NO_UPDATE_NOTIFIER=1 \
  GH_PROMPT_DISABLED=1 HTTP_PROXY="http://127.0.0.1:$(cat "$work/gh-server.port")" NO_PROXY=127.0.0.1
gh_get="gh api --hostname github.localhost /user"

# Every command must work before it is timed.
# (Output into a variable first: `grep -q` closing the pipe early would fail a command under pipefail.)
for b in "$bb_native" "$bb_r2r" "$bb_any"; do
  text=$("$b" --version) && grep -q '^bb [0-9]' <<<"$text" || die "$b --version failed: $text"
  text=$("$b" user get) && grep -q '"username": *"alice"' <<<"$text" || die "$b user get failed: $text"
done
text=$($gh_get) && grep -q '"login": *"alice"' <<<"$text" || die "gh api against the loopback server failed: $text"
text=$("$floor" --version) && grep -q '^floor [0-9]' <<<"$text" || die "$floor --version failed: $text"
floor_get="$floor get $api/2.0/user"
text=$($floor_get) && [ -n "$text" ] || die "$floor_get failed: $text"

# --- measure -------------------------------------------------------------------------------------
hf() { # name, then hyperfine arguments
  local name=$1; shift
  hyperfine -N --style basic --warmup "$warmup" --runs "$runs" --export-json "$work/$name.json" "$@"
}
say "start-up: --version"
hf start -n "gh --version" "gh --version" -n "bb --version, any package (JIT)" "$bb_any --version" \
  -n "bb --version, self-contained composite ReadyToRun (linux-x64 stand-in)" "$bb_r2r --version" \
  -n "floor --version (runtime floor, same shape)" "$floor --version" \
  -n "bb --version, native (scale)" "$bb_native --version"
say "one GET: gh api /user (loopback) vs bb user get (signed, local provider)"
hf get -n "gh api /user (loopback, token)" "$gh_get" -n "bb user get, any package (JIT)" "$bb_any user get" \
  -n "bb user get, self-contained composite ReadyToRun (linux-x64 stand-in)" "$bb_r2r user get" \
  -n "floor get (HMAC-SHA1 + HttpClient GET, same shape)" "$floor_get" \
  -n "bb user get, native (scale)" "$bb_native user get"

# --- the table -----------------------------------------------------------------------------------
python3 - "$work" "$out/any.md" "$runs" <<'PY'
import json, os, statistics, sys, time

work, target, runs = sys.argv[1], sys.argv[2], sys.argv[3]
lines = [
    f"# bench/any.sh — {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, load average "
    + " ".join(f"{x:.2f}" for x in os.getloadavg()) + f", hyperfine -N, {runs} runs each",
    "",
    "| command | wall, median | wall, mean | CPU (user+sys), mean | vs gh: CPU | vs gh: wall (median) |",
    "|---|---|---|---|---|---|",
]
for name in ("start", "get"):
    results = json.load(open(os.path.join(work, name + ".json")))["results"]
    gh = results[0]
    gh_cpu, gh_wall = gh["user"] + gh["system"], gh["median"]
    for r in results:
        cpu = r["user"] + r["system"]
        lines.append(f"| `{r['command']}` | {r['median'] * 1000:.1f} ms | {r['mean'] * 1000:.1f} ms | "
                     f"{cpu * 1000:.1f} ms | {cpu / gh_cpu:.2f}× | {r['median'] / gh_wall:.2f}× |")
text = "\n".join(lines) + "\n"
open(target, "w").write(text)
print(text)
PY
say "table: $out/any.md"
