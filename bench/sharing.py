#!/usr/bin/env python3
"""The sharing benchmarks (issue 14), side by side in one run.

Usage: bench/sharing.py BUILD_DIR     (or: meson test -C build --benchmark)

1. race, 2 tasks on 2 CPUs (5 runs): per-task threads at least 1.8x faster
   than one task doing every addition (sequential); the mutex and the atomic
   against per-task, as ratios of their threads' time per addition (each way
   makes as many additions as fit in its time); how often the
   unsynchronized threads lost additions, on 2 CPUs and pinned to one.
2. false_sharing, 2 tasks (5 runs): adjacent against padded, threads, on 2
   CPUs and pinned to one.
Medians with min-max. Exits 1 if a target is missed.
"""
import json
import os
import platform
import subprocess
import sys

build = sys.argv[1] if len(sys.argv) > 1 else "build"
missed = 0


def demo_json(name, *args):
    cmd = [os.path.join(build, "demos", name), *args]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    return "$ build/demos/" + " ".join([name, *args]), json.loads(out)


def verdict(ok):
    global missed
    missed += not ok
    return "met" if ok else "MISSED"


def wall(r):
    return f"{r['wall_s']:.4f} s ({r['wall_min_s']:.4f}-{r['wall_max_s']:.4f})"


print(f"machine: {os.cpu_count()} CPUs, Linux {platform.release()}")

cmd, doc = demo_json("race", "--tasks", "2", "--runs", "5", "--json")
print(f"\n1. {cmd}")
allowed = tuple(doc["machine"]["cpus_allowed"])
rows = {(r["workload"], r["strategy"], tuple(r["cpus_allowed"])): r for r in doc["results"]}
for way in ("unsynchronized", "mutex", "atomic", "per-task"):
    for strategy in ("sequential", "threads", "processes"):
        r = rows[(way, strategy, allowed)]
        print(f"   {way:<14} {strategy:<10} wall {wall(r)}  speedup {r['speedup']:.3f}x  "
              f"count {r['result']} of {r['expected_result']}, wrong in {r['runs_wrong']} of {r['runs']} runs")
per_task = rows[("per-task", "threads", allowed)]
print(f"   per-task threads {per_task['speedup']:.3f}x >= 1.8x: {verdict(per_task['speedup'] >= 1.8)}")
def ns_per_addition(r):
    return r["wall_s"] * 1e9 / r["expected_result"]


for way in ("mutex", "atomic"):
    r = rows[(way, "threads", allowed)]
    ratio = ns_per_addition(r) / ns_per_addition(per_task)
    print(f"   {way} threads / per-task threads: {ratio:.1f}x the time per addition "
          f"({ns_per_addition(r):.1f} ns against {ns_per_addition(per_task):.1f} ns)")
pinned = [r for (way, s, cpus), r in rows.items() if way == "unsynchronized" and len(cpus) == 1]
for r in pinned:
    print(f"   unsynchronized threads pinned to CPU {r['cpus_allowed'][0]}: lost additions in "
          f"{r['runs_wrong']} of {r['runs']} runs")

cmd, doc = demo_json("false_sharing", "--tasks", "2", "--runs", "5", "--json")
print(f"\n2. {cmd}")
rows = {(r["workload"], r["strategy"], len(r["cpus_allowed"])): r for r in doc["results"]}
for cpus in sorted({c for (_, _, c) in rows}, reverse=True):
    padded, adjacent = rows[("per-task", "threads", cpus)], rows[("adjacent", "threads", cpus)]
    print(f"   {cpus} CPU{'s' if cpus > 1 else ''}: padded {wall(padded)}, adjacent {wall(adjacent)}: "
          f"adjacent / padded = {adjacent['wall_s'] / padded['wall_s']:.2f}x")

print(f"\n{missed} target(s) missed")
sys.exit(1 if missed else 0)
