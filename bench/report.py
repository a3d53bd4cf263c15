#!/usr/bin/python3
"""Turns the figures bench/run.sh collected in OUT into the table of docs/benchmarks.md.

usage: report.py OUT   (writes OUT/results.md and OUT/results.json, prints the table)
"""
import datetime
import json
import os
import platform
import statistics
import subprocess
import sys


def load(out, name):
    with open(os.path.join(out, name), encoding="utf-8") as f:
        return json.load(f)


def hyperfine_medians(out, name):
    """command name → median seconds over every run of the rounds NAME-1.json, NAME-2.json, …"""
    times = {}
    for round_file in sorted(f for f in os.listdir(out) if f.startswith(name + "-") and f.endswith(".json")):
        for r in load(out, round_file)["results"]:
            times.setdefault(r["command"], []).extend(r["times"])
    return {command: statistics.median(values) for command, values in times.items()}


def ms(seconds):
    return f"{seconds * 1000:.1f} ms"


def first_line(cmd):
    try:
        return subprocess.run(cmd, capture_output=True, text=True, check=False).stdout.splitlines()[0].strip()
    except (OSError, IndexError):
        return "?"


def machine():
    cpu = "?"
    with open("/proc/cpuinfo", encoding="utf-8") as f:
        for line in f:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    mem_kib = 0
    with open("/proc/meminfo", encoding="utf-8") as f:
        for line in f:
            if line.startswith("MemTotal:"):
                mem_kib = int(line.split()[1])
    return {
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "memory": f"{mem_kib / 1024 / 1024:.1f} GiB",
        "load_average": " ".join(f"{x:.2f}" for x in os.getloadavg()),
        "kernel": platform.release(),
        "dotnet": first_line(["dotnet", "--version"]),
        "gh": first_line(["gh", "--version"]),
        "curl": first_line(["curl", "--version"]),
        "python": platform.python_version(),
    }


def main(out):
    rows = []

    def row(figure, ours, peer, ratio, target, met, note=""):
        rows.append({"figure": figure, "bb": ours, "peer": peer, "ratio": ratio, "target": target,
                     "met": bool(met), "note": note})

    cold = hyperfine_medians(out, "cold-start")
    r = cold["bb --version"] / cold["gh --version"]
    row("cold start, `bb --version` (native)", ms(cold["bb --version"]), f"gh --version {ms(cold['gh --version'])}",
        f"{r:.2f}× gh", "≤ 0.6× gh", r <= 0.6, f"curl --version {ms(cold['curl --version'])}")
    r = cold["bb --version"] / cold["curl --version"]
    row("cold start vs the floor (issue 17.3)", ms(cold["bb --version"]), f"curl --version {ms(cold['curl --version'])}",
        f"{r:.2f}× curl", "≤ 1.3× curl", r <= 1.3)

    get = hyperfine_medians(out, "signed-get")
    bb_get, py_get, curl_get = get["bb user get"], get["python requests-oauthlib"], get["curl (unsigned)"]
    r1, r2 = bb_get / py_get, bb_get / curl_get
    row("one signed GET, `bb user get`", ms(bb_get), f"requests-oauthlib {ms(py_get)}", f"{r1:.2f}× python",
        "≤ 0.3× requests-oauthlib", r1 <= 0.3)
    row("one signed GET vs transport floor", ms(bb_get), f"unsigned curl {ms(curl_get)}", f"{r2:.2f}× curl",
        "≤ 2× curl (issue 17.3; was ≤ 4×)", r2 <= 2)
    bb_prs, curl_prs = get["bb prs list"], get["curl (unsigned, pull requests)"]
    r = bb_prs / curl_prs
    row("the same, from a group of 28 commands, `bb prs list`", ms(bb_prs), f"unsigned curl {ms(curl_prs)}", f"{r:.2f}× curl",
        "≤ 2× curl", r <= 2, "the group `user` has 5 commands")

    pages = load(out, "paginate.json")
    def med(runs, key):
        return statistics.median(r[key] for r in runs)
    rss100, rss1 = med(pages["pages_100"], "rss_kib"), med(pages["pages_1"], "rss_kib")
    wall100, wall1 = med(pages["pages_100"], "wall_s"), med(pages["pages_1"], "wall_s")
    cpu100 = med(pages["pages_100"], "user_s") + med(pages["pages_100"], "sys_s")
    cpu1 = med(pages["pages_1"], "user_s") + med(pages["pages_1"], "sys_s")
    r = rss100 / rss1
    row("`--paginate` peak RSS, 100 pages × 100 vs 1 page", f"{rss100 / 1024:.1f} MiB", f"1 page {rss1 / 1024:.1f} MiB",
        f"{r:.2f}×", "≤ 1.2×", r <= 1.2,
        f"wall {wall100:.1f} s vs {wall1 * 1000:.0f} ms (server-bound); bb CPU {cpu100:.2f} s vs {cpu1:.2f} s")

    tls = hyperfine_medians(out, "tls-get")
    tls_bb, tls_curl = tls["bb user get (TLS)"], tls["curl (unsigned, TLS)"]
    r = tls_bb / tls_curl
    row("one signed GET over TLS, `bb user get`", ms(tls_bb), f"unsigned curl over TLS {ms(tls_curl)}", f"{r:.2f}× curl",
        "≤ 2× curl", r <= 2, f"plain HTTP: bb {ms(bb_get)}, curl {ms(curl_get)}")

    tls_pages = load(out, "tls-paginate.json")
    window, sequential = tls_pages["window_4"], tls_pages["parallel_1"]
    def connections(runs):
        return sorted({r["provider"]["connections"] for r in runs})
    def protocols(runs):
        names = sorted({p for r in runs for p in r["provider"].get("protocols", {})})
        return ", ".join(names) or "?"
    one = connections(window) == [1] and connections(sequential) == [1]
    row("`--paginate` over TLS, 10 pages of 25: connections (TLS handshakes)",
        f"{'/'.join(map(str, connections(window)))} ({protocols(window)})",
        f"`--parallel 1`: {'/'.join(map(str, connections(sequential)))}", "—", "1 per command", one,
        f"wall {med(window, 'wall_s'):.2f} s (window of 4) vs {med(sequential, 'wall_s'):.2f} s (`--parallel 1`); "
        f"bb CPU {med(window, 'user_s') + med(window, 'sys_s'):.2f} s; peak RSS {med(window, 'rss_kib') / 1024:.1f} MiB; "
        f"{len(window)} runs each")

    gen = load(out, "generator.json")
    row(f"generator, full run at {gen['operations']} operations", f"{gen['median_ms']:.1f} ms", "—",
        f"{gen['median_ms'] / 100:.2f}× budget", "≤ 100 ms", gen["median_ms"] <= 100,
        f"first run in a fresh process {gen['first_run_ms']:.0f} ms; {gen['generated_files']} files, "
        f"{gen['generated_chars'] / 1000:.0f} k chars")
    inc = gen["incremental"]
    shares = [inc[k]["share"] for k in inc]
    row("generator after an unrelated edit", f"{min(shares) * 100:.0f}% steps cached/unchanged", "—",
        ", ".join(f"{k}: {v['cached_or_unchanged']}/{v['steps']}" for k, v in inc.items()), "100% cached",
        min(shares) == 1.0 and all(v["output_cached"] == v["output_steps"] for v in inc.values()))

    info = machine()
    lines = [
        "| figure | bb | peer | ratio | target | met? | note |",
        "|---|---|---|---|---|---|---|",
    ]
    for x in rows:
        lines.append(f"| {x['figure']} | {x['bb']} | {x['peer']} | {x['ratio']} | {x['target']} | "
                     f"{'yes' if x['met'] else '**no**'} | {x['note']} |")
    lines.append("")
    lines.append(f"{info['date']}; `nproc` {info['nproc']}; {info['cpu']}; {info['memory']}; load average at the "
                 f"end {info['load_average']}; kernel {info['kernel']}; .NET SDK {info['dotnet']}; {info['gh']}; "
                 f"{info['curl']}; Python {info['python']}. Whole commands: medians of all hyperfine runs (3 interleaved rounds).")
    table = "\n".join(lines)
    with open(os.path.join(out, "results.md"), "w", encoding="utf-8") as f:
        f.write(table + "\n")
    with open(os.path.join(out, "results.json"), "w", encoding="utf-8") as f:
        json.dump({"machine": info, "rows": rows}, f, indent=2, ensure_ascii=False)
    print(table)
    met = sum(x["met"] for x in rows)
    print(f"\nbench: {met} of {len(rows)} targets met (table in {os.path.join(out, 'results.md')})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
