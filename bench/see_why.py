#!/usr/bin/env python3
"""The "see why" benchmarks (GIL, event loop, spawn cost), side by side in one run.

Usage: bench/see_why.py BUILD_DIR     (or: meson test -C build --benchmark)

1. cpu, 2 tasks on 2 CPUs: threads+gil speedup <= 1.10x while threads >= 1.92x.
2. event_loop, 10,000 sleeps of 1 s: wall <= 1.05 s, peak RSS <= 16 MiB
   (measured in a fresh process by the demo's sweep).
3. spawn_cost: thread, process and program start+finish, and their ratios.
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


print(f"machine: {os.cpu_count()} CPUs, Linux {platform.release()}")

cmd, doc = demo_json("cpu", "--tasks", "2", "--runs", "5", "--strategies", "sequential,threads,threads+gil", "--json")
print(f"\n1. {cmd}")
by = {r["strategy"]: r for r in doc["results"]}
for name in ("sequential", "threads", "threads+gil"):
    r = by[name]
    print(f"   {name:<12} wall {r['wall_s']:.4f} s ({r['wall_min_s']:.4f}-{r['wall_max_s']:.4f})  "
          f"speedup {r['speedup']:.3f}x  cpu use {100 * r['cpu_use']:.0f}%")
print(f"   threads+gil {by['threads+gil']['speedup']:.3f}x <= 1.10x: {verdict(by['threads+gil']['speedup'] <= 1.10)}; "
      f"threads {by['threads']['speedup']:.3f}x >= 1.92x: {verdict(by['threads']['speedup'] >= 1.92)}")

cmd, doc = demo_json("event_loop", "--tasks", "10000,10000", "--json")
print(f"\n2. {cmd}  (two points of 10,000 x 1 s, each in a fresh process)")
points = [p for p in doc["sweep"] if not p["capped"]]
for p in points:
    print(f"   {p['strategy']:<11} {p['tasks']} tasks: wall {p['wall_s']:.4f} s, peak {p['peak_rss_mib']:.1f} MiB")
loop = [p for p in points if p["strategy"] == "event_loop"]
worst_wall = max(p["wall_s"] for p in loop)
worst_rss = max(p["peak_rss_mib"] for p in loop)
print(f"   event_loop: worst wall {worst_wall:.4f} s <= 1.05 s: {verdict(worst_wall <= 1.05)}; "
      f"worst peak {worst_rss:.1f} MiB <= 16 MiB: {verdict(worst_rss <= 16)}")

cmd, doc = demo_json("spawn_cost", "--json")
print(f"\n3. {cmd}")
units = {u["name"]: u for u in doc["units"]}
thread = units["pthread_create + join"]["us"]
for name, u in units.items():
    print(f"   {name:<26} {u['us']:10.3f} us ({u['us_min']:.3f}-{u['us_max']:.3f})  {u['us'] / thread:7.2f}x a thread")

print(f"\n{'all targets met' if not missed else f'{missed} target(s) missed'}")
sys.exit(1 if missed else 0)
