#!/usr/bin/env python3
"""The seed's benchmarks: our C child processes beside Python's subprocess,
measured side by side in one run.

Usage: bench/children.py BUILD_DIR    (or: meson test -C build --benchmark)

1. 100 children of `sleep 0.1`, all started, then all waited for:
   parallel_children's wall / Python's wall (target <= 0.95).
2. 10 children of `sleep 1` at once: parallel_children's wall (target < 1.01 s).
3. Start and reap one child running `true`: microseconds per child, C
   (lib/child: posix_spawn + pidfd wait) against Python's subprocess.run.
Medians over several runs, with min-max. Exits 1 if a target is missed.
"""
import json
import os
import platform
import statistics
import subprocess
import sys
import time

build = sys.argv[1] if len(sys.argv) > 1 else "build"
RUNS = 5
missed = 0


def parallel_children(tasks, seconds):
    cmd = [os.path.join(build, "demos", "parallel_children"), "--no-sequential", "--json",
           "--tasks", str(tasks), "--seconds", str(seconds), "--runs", str(RUNS), "--warmup", "1"]
    result = json.loads(subprocess.run(cmd, check=True, capture_output=True, text=True).stdout)["results"][0]
    shown = "build/demos/" + " ".join(cmd[0].split("/")[-1:] + cmd[1:])
    return shown, result["wall_s"], result["wall_min_s"], result["wall_max_s"]


def python_children(tasks, seconds):
    """The same job in Python: Popen each child, then wait for each."""
    walls = []
    for run in range(RUNS + 1):  # the first is a warm-up
        start = time.monotonic()
        children = [subprocess.Popen(["sleep", str(seconds)]) for _ in range(tasks)]
        for child in children:
            child.wait()
        if run > 0:
            walls.append(time.monotonic() - start)
    return statistics.median(walls), min(walls), max(walls)


def python_true_us(count=1000, batches=7):
    per_child = []
    for _ in range(batches):
        start = time.monotonic()
        for _ in range(count):
            subprocess.run(["true"], check=True)
        per_child.append((time.monotonic() - start) / count * 1e6)
    return statistics.median(per_child), min(per_child), max(per_child)


def verdict(ok):
    global missed
    missed += not ok
    return "met" if ok else "MISSED"


print(f"machine: {os.cpu_count()} CPUs, Linux {platform.release()}; Python {platform.python_version()}")

print("\n1. 100 children of sleep 0.1, started together, then waited for")
cmd, c_wall, c_min, c_max = parallel_children(100, 0.1)
p_wall, p_min, p_max = python_children(100, 0.1)
print(f"   C      {c_wall:.4f} s ({c_min:.4f}-{c_max:.4f})   $ {cmd}")
print(f"   Python {p_wall:.4f} s ({p_min:.4f}-{p_max:.4f})   subprocess.Popen x 100, then wait()")
print(f"   C / Python = {c_wall / p_wall:.3f}   (target <= 0.95: {verdict(c_wall / p_wall <= 0.95)})")

print("\n2. 10 children of sleep 1 at once")
cmd, c_wall, c_min, c_max = parallel_children(10, 1)
print(f"   C      {c_wall:.4f} s ({c_min:.4f}-{c_max:.4f})   $ {cmd}")
print(f"   target < 1.01 s: {verdict(c_wall < 1.01)}")

print("\n3. start and reap one child running true (microseconds per child, 1000 x 7 batches)")
out = subprocess.run([os.path.join(build, "bench", "spawn_true")], check=True, capture_output=True, text=True)
c_us, c_lo, c_hi = (float(x) for x in out.stdout.split())
p_us, p_lo, p_hi = python_true_us()
print(f"   C      {c_us:7.1f} us ({c_lo:.1f}-{c_hi:.1f})   $ build/bench/spawn_true")
print(f"   Python {p_us:7.1f} us ({p_lo:.1f}-{p_hi:.1f})   subprocess.run(['true'])")
print(f"   C / Python = {c_us / p_us:.3f}")

print(f"\n{'all targets met' if not missed else f'{missed} target(s) missed'}")
sys.exit(1 if missed else 0)
