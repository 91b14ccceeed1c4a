#!/usr/bin/env python3
"""false_sharing, run as a program: what must hold whatever the timing.

Usage: false_sharing.py BINARY

--quick --json: exit 0; both layouts (per-task: padded, adjacent) measured
with sequential and threads, on every CPU and pinned to the first; every row
counts every addition (each task has a counter of its own: nothing is lost,
however slow); one verdict. The plain --quick run ends by naming its note and
the cache line's size. Nothing here asserts a ratio: that is the benchmark's.
"""
import json
import subprocess
import sys

demo = sys.argv[1]
failures = []


def check(what, ok, detail=""):
    if not ok:
        failures.append(f"{what}: {detail}")


p = subprocess.run([demo, "--quick", "--json"], capture_output=True, text=True, timeout=120)
check("--quick --json exits 0", p.returncode == 0, p.stderr)
doc = json.loads(p.stdout)
allowed = tuple(doc["machine"]["cpus_allowed"])
seen = sorted((r["workload"], tuple(r["cpus_allowed"]), r["strategy"]) for r in doc["results"])
wanted = sorted((w, c, s) for w in ("per-task", "adjacent") for c in {allowed, allowed[:1]}
                for s in ("sequential", "threads"))
check("both layouts, every CPU and one, sequential and threads", seen == wanted, seen)
for r in doc["results"]:
    check(f"{r['workload']} {r['strategy']} counts every addition",
          r["result"] == r["expected_result"] and r["runs_wrong"] == 0, r)
check("one verdict", len(doc["verdicts"]) == 1, doc["verdicts"])

p = subprocess.run([demo, "--quick"], capture_output=True, text=True, timeout=120)
check("--quick exits 0", p.returncode == 0, p.stderr)
check("names the cache line", "cache line: " in p.stdout, p.stdout[:400])
lines = p.stdout.strip().splitlines()
check("ends with its note", bool(lines) and lines[-1] == "Read alongside: notes/17-false_sharing.md", lines[-1:])

for f in failures:
    print("FAIL", f)
print(f"false_sharing: {len(failures)} failures")
sys.exit(1 if failures else 0)
