#!/usr/bin/env bash
# Two native bb binaries side by side: `bash bench/ab.sh OLD_BB NEW_BB` (docs/benchmarks.md, "One signer").
#
# `bb --version` and a signed `bb user get` of each, against one local provider, in 6 hyperfine rounds
# of 10 runs whose order alternates (old, new, new, old, ...), so that both see the same load from
# other work on the machine; prints each command's median, quartiles and minimum over all 60 runs.
# Run bench/run.sh first: it builds the provider and writes the seed this uses. Output in
# artifacts/bench-ab/ (BENCH_OUT to change it). Talks only to 127.0.0.1.
set -euo pipefail
[ $# = 2 ] && [ -x "$1" ] && [ -x "$2" ] || { echo "usage: bash bench/ab.sh OLD_BB NEW_BB (two native bb executables)" >&2; exit 2; }
before=$(realpath "$1")
after=$(realpath "$2")
cd "$(dirname "$0")/.."
root=$PWD
out=${BENCH_OUT:-$root/artifacts/bench-ab}
rm -rf "$out"; mkdir -p "$out"
provider_dll="$root/src/Bitbucket.LocalProvider/bin/Release/net10.0/bb-local-provider.dll"
seed=$root/artifacts/bench/seed.json
[ -f "$provider_dll" ] && [ -f "$seed" ] || { echo "bench/ab.sh: run bash bench/run.sh first (provider build and seed)" >&2; exit 1; }
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done; }
trap cleanup EXIT
dotnet "$provider_dll" --port 0 --auto-approve --quiet --seed-file "$seed" >"$out/provider.out" 2>"$out/provider.log" &
pids+=($!)
for _ in $(seq 300); do grep -q '^listening on ' "$out/provider.out" 2>/dev/null && break; sleep 0.1; done
api=$(sed -n 's/^listening on //p' "$out/provider.out")
[ -n "$api" ]
export BB_CONFIG_DIR="$out/config"
BB_CONSUMER_SECRET=bb-local-secret "$after" auth login --host local --api-url "$api" --consumer-key bb-local --no-browser >"$out/login.out" 2>"$out/login.err" &
login=$!; pids+=($login)
url=
for _ in $(seq 300); do url=$(grep -o -m1 'http://[^ ]*oauth_token=[^ ]*' "$out/login.err" 2>/dev/null || true); [ -n "$url" ] && break; sleep 0.1; done
token=${url##*oauth_token=}
curl -fsS -o /dev/null "$url"
location=$(curl -sS -o /dev/null -D - -X POST -d "oauth_token=$token" -d action=approve "${url%%\?*}" | tr -d '\r' | sed -n 's/^[Ll]ocation: //p')
curl -fsS -o /dev/null "$location"
wait "$login"
"$before" user get >/dev/null && "$after" user get >/dev/null
for round in 1 2 3 4 5 6; do
  case $round in 1|4|5) a=before b=after ;; *) a=after b=before ;; esac
  eval "ca=\$$a cb=\$$b"
  hyperfine -N --style basic --warmup 3 --runs 10 --export-json "$out/user-get-$round.json" \
    -n "bb user get ($a)" "$ca user get" -n "bb user get ($b)" "$cb user get"
  hyperfine -N --style basic --warmup 3 --runs 10 --export-json "$out/version-$round.json" \
    -n "bb --version ($a)" "$ca --version" -n "bb --version ($b)" "$cb --version"
done
/usr/bin/python3 - "$out" <<'PY'
import glob, json, os, statistics, sys
out = sys.argv[1]
for name in ["version", "user-get"]:
    t = {}
    for f in sorted(glob.glob(os.path.join(out, name + "-*.json"))):
        for r in json.load(open(f))["results"]:
            t.setdefault(r["command"], []).extend(r["times"])
    for k in sorted(t):
        v = sorted(t[k]); q = statistics.quantiles(v, n=4)
        print(f"{k}: n={len(v)} median {statistics.median(v)*1000:.1f} ms, IQR {q[0]*1000:.1f}–{q[2]*1000:.1f} ms, min {v[0]*1000:.1f} ms")
print("load average", " ".join(f"{x:.2f}" for x in os.getloadavg()))
PY
