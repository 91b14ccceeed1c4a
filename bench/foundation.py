#!/usr/bin/env python3
"""The Foundation's benchmarks, measured side by side in one run.

Usage: bench/foundation.py BUILD_DIR     (or: meson test -C build --benchmark)

Runs the sleep and cpu demos with --json and sets each figure beside its
target: 10 x 1 s sleeps under threads and processes within 1.003 s; cpu with
2 tasks at least 1.92x on 2 CPUs, and 0.95x-1.05x pinned to CPU 0. Prints the
median of the demo's runs with the min-max range. Timing depends on the
machine: run it on a quiet one. Exits 1 if a target is missed.
"""
import json
import os
import platform
import subprocess
import sys

build = sys.argv[1] if len(sys.argv) > 1 else "build"
demos = os.path.join(build, "demos")
missed = 0


def demo_json(name, *args):
    cmd = [os.path.join(demos, name), "--json", *args]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    return " ".join(["build/demos/" + name, "--json", *args]), json.loads(out)


def row(what, value, low, high, target, unit=""):
    global missed
    ok = low <= value <= high
    missed += not ok
    print(f"  {what:<34} {value:>9.4f}{unit:<2} {target:<18} {'met' if ok else 'MISSED'}")


print(f"machine: {os.cpu_count()} CPUs, Linux {platform.release()}, {platform.machine()}")

cmd, doc = demo_json("sleep", "--tasks", "10", "--seconds", "1")
print(f"\n$ {cmd}")
for r in doc["results"]:
    print(f"  {r['strategy']:<11} wall {r['wall_s']:.4f} s ({r['wall_min_s']:.4f}-{r['wall_max_s']:.4f})"
          f"  speedup {r['speedup']:.3f}x")
for r in doc["results"][1:]:
    row(f"sleep {r['strategy']} wall", r["wall_s"], 0, 1.003, "<= 1.003 s", " s")

for extra, low, high, target in [([], 1.92, 99, ">= 1.92x"), (["--cpus", "0"], 0.95, 1.05, "0.95x-1.05x")]:
    cmd, doc = demo_json("cpu", "--tasks", "2", "--runs", "5", *extra)
    print(f"\n$ {cmd}")
    for r in doc["results"]:
        print(f"  {r['strategy']:<11} wall {r['wall_s']:.4f} s ({r['wall_min_s']:.4f}-{r['wall_max_s']:.4f})"
              f"  speedup {r['speedup']:.3f}x  cpu use {100 * r['cpu_use']:.0f}%")
    for r in doc["results"][1:]:
        row(f"cpu {r['strategy']} speedup" + (" on CPU 0" if extra else ""), r["speedup"], low, high, target, "x")

print(f"\n{'all targets met' if not missed else f'{missed} target(s) missed'}")
sys.exit(1 if missed else 0)
