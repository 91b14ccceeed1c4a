#!/usr/bin/env python3
"""race, run as a program: what its counts must be, whatever the timing.

Usage: race.py RACE_BINARY

--quick --json: exit 0; the mutex, the atomic and a counter per task count
every addition in every run, with threads and with processes; processes on
private memory leave the parent's counter at 0, threads on it count all; no
row counts more than expected; five verdicts. The plain --quick run exits 0
even though a count may be wrong, and ends by naming its note. Nothing here
asserts that a race happened: on a quiet machine it may not.
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
rows = {(r["workload"], r["strategy"], tuple(r["cpus_allowed"])): r for r in doc["results"]}
allowed = tuple(doc["machine"]["cpus_allowed"])
for (way, strategy, cpus), r in rows.items():
    check(f"{way} {strategy}: a count", {"result", "expected_result", "runs_wrong"} <= r.keys(), r.keys())
    check(f"{way} {strategy}: never more than expected", r["result"] <= r["expected_result"], r)
    check(f"{way} {strategy}: checksums agree", r["checksum_ok"] is True, r)
for way in ("mutex", "atomic", "per-task"):
    for strategy in ("sequential", "threads", "processes"):
        r = rows.get((way, strategy, allowed))
        check(f"{way} {strategy} measured", r is not None, sorted(rows))
        if r is not None:
            check(f"{way} {strategy} counts every addition", r["result"] == r["expected_result"]
                  and r["runs_wrong"] == 0, r)
private_threads = rows.get(("private", "threads", allowed))
private_processes = rows.get(("private", "processes", allowed))
check("private: threads count all", private_threads is not None
      and private_threads["result"] == private_threads["expected_result"], private_threads)
check("private: processes leave the parent's counter at 0", private_processes is not None
      and private_processes["result"] == 0 and private_processes["runs_wrong"] == private_processes["runs"],
      private_processes)
pinned = [r for (way, strategy, cpus), r in rows.items() if way == "unsynchronized" and len(cpus) == 1
          and len(allowed) > 1]
check("the pinned run is on one CPU", len(allowed) == 1 or len(pinned) == 1, sorted(rows))
check("five verdicts", len(doc["verdicts"]) == 5, doc["verdicts"])

p = subprocess.run([demo, "--quick"], capture_output=True, text=True, timeout=120)
check("--quick exits 0 even when a count is wrong", p.returncode == 0, p.stderr)
lines = p.stdout.strip().splitlines()
check("ends with its note", bool(lines) and lines[-1] == "Read alongside: notes/16-race.md", lines[-1:])

for f in failures:
    print("FAIL", f)
print(f"race: {len(failures)} failures")
sys.exit(1 if failures else 0)
