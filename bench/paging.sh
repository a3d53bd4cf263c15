#!/usr/bin/env bash
# Paging figures of issue 17 (docs/benchmarks.md, "Paging, round two"): `bash bench/paging.sh`.
#
# 1. Fewer round trips: requests and wall time to list 1,000 Cloud repositories with the old page size
#    (pagelen 10, one page at a time) and with today's defaults (pagelen 100, pages in parallel).
# 2. Pages in parallel: 100 pages from a server that takes 0.25 s a page (the provider's /__test/paging
#    latency hook), --parallel 1 against the default window of 4: wall time, byte-identical output
#    (cmp), peak RSS against one page.
# 3. Data Center: 2,485 branches with the old page size (limit 25, 100 pages) and today's (limit 1000):
#    requests, wall time, peak RSS against one page.
#
# Environment: BB_NATIVE=/path/to/bb (else artifacts/bench/native/bb, published by bench/run.sh or here)
#              PAGING_RUNS=N  runs per command (default 3; the 0.25 s/page sequential run takes ~30 s each)
#              PAGING_SMOKE=1 one run each and 10 pages instead of 100 (CI: checks the script still works)
# Talks only to 127.0.0.1. Results: artifacts/bench/paging.md and paging.json.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

out=${BENCH_OUT:-$root/artifacts/bench}
runs=${PAGING_RUNS:-3}
smoke=${PAGING_SMOKE:-0}
[ "$smoke" = 1 ] && runs=1
mkdir -p "$out"
out=$(cd "$out" && pwd)
log="$out/paging-build.log"
: >"$log"
work="$out/paging"
rm -rf "$work"
mkdir -p "$work"

say() { printf '==> %s\n' "$*" >&2; }
die() { printf 'bench: %s\n' "$*" >&2; exit 1; }
[ -x /usr/bin/time ] || die "please install time (Debian package) first"

bb=${BB_NATIVE:-$out/native/bb}
if [ ! -x "$bb" ]; then
  say "publishing the native bb (Native AOT, linux-x64)"
  dotnet publish src/Bitbucket.Cli -c Release -r linux-x64 -o "$out/native" >>"$log" 2>&1 || { tail -n 30 "$log" >&2; die "publish failed"; }
  bb="$out/native/bb"
fi
say "building the local provider"
dotnet build src/Bitbucket.LocalProvider -c Release >>"$log" 2>&1 || { tail -n 30 "$log" >&2; die "provider build failed"; }
provider_dll="$root/src/Bitbucket.LocalProvider/bin/Release/net10.0/bb-local-provider.dll"

# bench1k: 1,000 repositories (100 pages of 10, 10 of 100).
/usr/bin/python3 - "$work/seed.json" <<'PY'
import json, sys
repos = [{"workspace": "bench1k", "slug": f"repo-{i:05d}", "description": f"Benchmark repository {i}",
          "language": "c#", "role": "owner"} for i in range(1, 1001)]
json.dump({"repositories": repos}, open(sys.argv[1], "w"))
PY

pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
}
trap cleanup EXIT

start_provider() { # name, extra args…; the URL goes to $work/NAME.url (not a subshell: cleanup must see the pid)
  local name=$1; shift
  dotnet "$provider_dll" --port 0 --test-hooks --quiet "$@" >"$work/$name.out" 2>"$work/$name.log" &
  pids+=($!)
}
wait_provider() { # name → the URL (start-up can take a minute on a loaded machine)
  for _ in $(seq 1200); do grep -q '^listening on ' "$work/$1.out" 2>/dev/null && break; sleep 0.1; done
  sed -n 's/^listening on //p' "$work/$1.out"
}

say "starting a Cloud and a Data Center provider"
start_provider cloud --auto-approve --seed-file "$work/seed.json"
start_provider dc --flavor datacenter --pages 100 --rsa-private-key-out "$work/dc-key.pem"
cloud=$(wait_provider cloud)
dc=$(wait_provider dc)
[ -n "$cloud" ] && [ -n "$dc" ] || die "a provider did not start (see $work/*.log)"

export BB_CONFIG_DIR="$work/config"
export BROWSER="dotnet $provider_dll approve"
say "logging in to both"
BB_CONSUMER_SECRET=bb-local-secret "$bb" auth login --host local --api-url "$cloud" --consumer-key bb-local >"$work/login-cloud.log" 2>&1 \
  || { cat "$work/login-cloud.log" >&2; die "cloud login failed"; }
"$bb" auth login --host dc --api-url "$dc" --consumer-key bb-local --rsa-key "$work/dc-key.pem" >"$work/login-dc.log" 2>&1 \
  || { cat "$work/login-dc.log" >&2; die "data center login failed"; }

hook() { curl -fsS -o /dev/null -X "$1" "$2/__test/paging${3:-}"; }

# measure NAME -- bb args…: RUNS runs under /usr/bin/time; one JSON line per run in $work/NAME.runs;
# the first run's stdout kept as $work/NAME.out and its request count (from -v) as $work/NAME.requests.
measure() {
  local name=$1; shift; shift
  local i line
  : >"$work/$name.runs"
  for i in $(seq "$runs"); do
    /usr/bin/time -o "$work/$name.time.$i" -f '%e %U %S %M' "$bb" "$@" -v >"$work/$name.stdout.$i" 2>"$work/$name.stderr.$i" \
      || die "bb $* failed: $(tail -n 3 "$work/$name.stderr.$i")"
    line=$(tail -n 1 "$work/$name.time.$i")
    read -r wall user sys rss <<<"$line"
    printf '{"wall_s": %s, "user_s": %s, "sys_s": %s, "rss_kib": %s}\n' "$wall" "$user" "$sys" "$rss" >>"$work/$name.runs"
  done
  mv "$work/$name.stdout.1" "$work/$name.out"
  grep -c '^> GET ' "$work/$name.stderr.1" >"$work/$name.requests" || true
}

pages=100
[ "$smoke" = 1 ] && pages=10
items=$((pages * 10))

say "1. listing 1,000 Cloud repositories: pagelen 10 one at a time (before) vs the defaults (after)"
hook DELETE "$cloud"
measure list-before -- repos list bench1k --paginate --pagelen 10 --parallel 1
measure list-pagelen -- repos list bench1k --paginate --parallel 1
measure list-after -- repos list bench1k --paginate
cmp -s "$work/list-before.out" "$work/list-after.out" || die "the 1,000-repository lists differ"

say "2. $pages pages at 0.25 s a page: --parallel 1 vs the default window"
hook POST "$cloud" "?latencyMs=250"
measure parallel-1 -- repos list bench1k --limit "$items" --pagelen 10 --parallel 1
measure parallel-4 -- repos list bench1k --limit "$items" --pagelen 10
measure page-1 -- repos list bench1k --pagelen 10
hook DELETE "$cloud"
cmp -s "$work/parallel-1.out" "$work/parallel-4.out" || die "parallel output differs from sequential"

say "3. Data Center: 2,485 branches, limit 25 (before) vs limit 1000 (after)"
measure dc-before -- branches list PROJ many --host dc --paginate --page-size 25
measure dc-after -- branches list PROJ many --host dc --paginate
measure dc-page-1 -- branches list PROJ many --host dc --page-size 25
cmp -s "$work/dc-before.out" "$work/dc-after.out" || die "the Data Center lists differ"

/usr/bin/python3 - "$work" "$out" "$pages" <<'PY'
import json, os, statistics, sys
work, out, pages = sys.argv[1], sys.argv[2], int(sys.argv[3])
def runs(name):
    return [json.loads(l) for l in open(os.path.join(work, name + ".runs"))]
def med(name, key):
    return statistics.median(r[key] for r in runs(name))
def req(name):
    return int(open(os.path.join(work, name + ".requests")).read().strip() or 0)
rows, data = [], {}
def row(label, name, base=None):
    wall, rss = med(name, "wall_s"), med(name, "rss_kib")
    cpu = med(name, "user_s") + med(name, "sys_s")
    data[name] = {"requests": req(name), "wall_s": wall, "cpu_s": cpu, "rss_kib": rss}
    ratio = f"{rss / med(base, 'rss_kib'):.2f}× one page" if base else ""
    rows.append(f"| {label} | {req(name)} | {wall:.2f} s | {cpu:.2f} s | {rss / 1024:.1f} MiB {ratio} |")
row("1,000 Cloud repositories, pagelen 10, one at a time (before)", "list-before")
row("1,000 Cloud repositories, pagelen 100, one at a time", "list-pagelen")
row("1,000 Cloud repositories, defaults (pagelen 100, window 4) (after)", "list-after")
row(f"{pages} pages at 0.25 s/page, --parallel 1", "parallel-1", "page-1")
row(f"{pages} pages at 0.25 s/page, window 4 (default)", "parallel-4", "page-1")
row("1 page at 0.25 s/page", "page-1")
row("Data Center, 2,485 branches, limit 25 (before)", "dc-before", "dc-page-1")
row("Data Center, 2,485 branches, defaults (limit 1000) (after)", "dc-after", "dc-page-1")
row("Data Center, 1 page of 25", "dc-page-1")
speed = data["parallel-1"]["wall_s"] / data["parallel-4"]["wall_s"]
head = ["| command | requests | wall (median) | bb CPU | peak RSS |", "|---|---|---|---|---|"]
tail = [f"", f"Window 4 vs sequential at 0.25 s/page: **{speed:.2f}×** faster; outputs byte-identical (cmp). "
        f"Load average at the end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}; {len(runs('list-before'))} run(s) each."]
table = "\n".join(head + rows + tail)
open(os.path.join(out, "paging.md"), "w").write(table + "\n")
json.dump(data, open(os.path.join(out, "paging.json"), "w"), indent=2)
print(table)
PY
