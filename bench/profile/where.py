#!/usr/bin/env python3
"""Where a ReadyToRun bb spends its CPU, by managed method (docs/benchmarks.md, 17.5 round six).

perf names no method in the composite image, so this reads crossgen2's map of it (bb.r2r.ni.r2rmap, written
with -p:PublishReadyToRunEmitSymbols=true) and charges each sample to the nearest managed frame above it:
the method that made the runtime, the JIT or the kernel do the work.

    dotnet publish src/Bitbucket.Cli -c Release -r linux-x64 -p:BbReadyToRunStandIn=true \\
        -p:PublishReadyToRunEmitSymbols=true -o DIR
    perf record -F 20000 -g -o perf.data -- sh -c \\
        'for i in $(seq 20); do DOTNET_PerfMapEnabled=3 DIR/bb user get >/dev/null; done'
    perf script -i perf.data -F ip,sym,dso | python3 bench/profile/where.py DIR/bb.r2r.dll [TOP]
"""
import bisect
import collections
import re
import struct
import sys

image = sys.argv[1]
top = int(sys.argv[2]) if len(sys.argv) > 2 else 40

# perf gives a sample in the image as a file offset; the map gives RVAs. .text's two differ by a constant.
with open(image, "rb") as f:
    pe = f.read(4096)
header = struct.unpack_from("<I", pe, 0x3C)[0]
sections = struct.unpack_from("<H", pe, header + 6)[0]
first = header + 24 + struct.unpack_from("<H", pe, header + 20)[0]
shift = None
for i in range(sections):
    name, _, rva, _, raw = struct.unpack_from("<8sIIII", pe, first + 40 * i)
    if name.rstrip(b"\0") == b".text":
        shift = rva - raw
if shift is None:
    sys.exit(f"{image}: no .text section")

methods = []
for line in open(image[: -len(".dll")] + ".ni.r2rmap", encoding="utf-8"):
    parts = line.rstrip("\n").split(" ", 2)
    if len(parts) == 3 and int(parts[0], 16) < 0xF0000000:  # the first lines are the map's own header
        methods.append((int(parts[0], 16), int(parts[1], 16), parts[2]))
methods.sort()
starts = [m[0] for m in methods]


def precompiled(offset):
    i = bisect.bisect_right(starts, offset + shift) - 1
    if i >= 0 and offset + shift < methods[i][0] + methods[i][1]:
        return methods[i][2]
    return "(image, no method)"


def short(name):
    return re.sub(r"\(.*", "", name).split(" ")[-1][:140]


frame = re.compile(r"([0-9a-f]+) (.*?) \((.*)\)$")
samples, current = [], []
for line in sys.stdin:
    if not line.startswith(("\t", " ")) or not line.strip():  # a sample's header or the blank line after it
        if current:
            samples.append(current)
        current = []
        continue
    m = frame.match(line.strip())
    if m is None:
        continue
    ip, sym, dso = m.groups()
    if dso.endswith(image.rsplit("/", 1)[-1]):
        current.append(("managed", short(precompiled(int(ip, 16)))))
    elif dso.startswith("/tmp/perf-") or dso.startswith("//anon") or "memfd:doublemapper" in dso:
        current.append(("managed", short(sym) if sym != "[unknown]" else "(JIT-compiled, unnamed)"))
    else:
        current.append(("native", dso.rsplit("/", 1)[-1]))
if current:
    samples.append(current)
samples = [s for s in samples if s and not any(kind == "native" and name == "bash" for kind, name in s)]
total = len(samples)
if total == 0:
    sys.exit("no samples on stdin (perf script -F ip,sym,dso)")

leaf = collections.Counter("managed code" if s[0][0] == "managed" else s[0][1] for s in samples)
jit = sum(1 for s in samples if any(name == "libclrjit.so" for _, name in s))
nearest = collections.Counter(next((n for k, n in s if k == "managed"), "(no managed frame)") for s in samples)
inclusive = collections.Counter()
for s in samples:
    inclusive.update({n for k, n in s if k == "managed"})

print(f"{total} samples; the JIT on the stack in {100 * jit / total:.1f}%")
print("\nleaf (where the CPU was):")
for name, n in leaf.most_common(10):
    print(f"  {100 * n / total:5.1f}%  {name}")
print("\nnearest managed frame (its own code and the runtime work under it):")
for name, n in nearest.most_common(top):
    print(f"  {100 * n / total:5.1f}%  {name}")
print("\ninclusive:")
for name, n in inclusive.most_common(top):
    print(f"  {100 * n / total:5.1f}%  {name}")
