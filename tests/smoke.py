#!/usr/bin/env python3
"""Smoke test for one harness demo, run as a program the way a student would.

Usage: smoke.py DEMO_BINARY NOTES_ROOT

Checks: --quick exits 0 and ends by naming a note that exists; --quick --json
prints one JSON object with the documented keys and one result per strategy
(per workload and CPU set, for versus); --cpus 0 reports cpus_allowed [0];
--csv prints a header and one row per result; bad flags exit 2 with one line
naming the flag, and print nothing on stdout.
"""
import json
import os
import subprocess
import sys

demo, root = sys.argv[1], sys.argv[2]
name = os.path.basename(demo)
failures = []
passes = 0

RESULT_KEYS = {"strategy", "wall_s", "wall_min_s", "wall_max_s", "user_s", "sys_s",
               "cpu_use", "speedup", "ideal_speedup", "efficiency", "checksum",
               "checksum_ok", "runs", "runs_set_aside", "load", "flags"}
# The strategies each demo measures by default.
STRATEGIES = {"parallel_children": ["sequential", "processes"],
              "gil": ["sequential", "threads", "threads+gil", "processes"],
              "event_loop": ["sequential", "event_loop", "threads", "processes"]}.get(
                  name, ["sequential", "threads", "processes"])
# cpu adds openmp when the build has OpenMP (its --help then lists it).
if name == "cpu" and "\n  openmp " in subprocess.run([demo, "--help"], capture_output=True, text=True).stdout:
    STRATEGIES = STRATEGIES + ["openmp"]
# Demos that measure both workloads, with each result naming its own.
BOTH_WORKLOADS = ("versus", "gil", "event_loop")


def run(*args):
    return subprocess.run([demo, *args], capture_output=True, text=True, timeout=60)


def check(what, ok, detail=""):
    global passes
    if ok:
        passes += 1
    else:
        failures.append(f"{what}: {detail}")


def check_json(args, expect_cpus=None):
    p = run(*args)
    check(f"{args} exits 0", p.returncode == 0, p.stderr)
    try:
        doc = json.loads(p.stdout)
    except ValueError as e:
        check(f"{args} prints one JSON object", False, f"{e}: {p.stdout[:200]!r}")
        return
    check("top-level keys", {"demo", "version", "machine", "results", "verdicts"} <= doc.keys(), doc.keys())
    check("demo name", doc["demo"] == name, doc["demo"])
    check("machine keys", {"cpus_online", "cpus_allowed", "kernel"} <= doc["machine"].keys(), doc["machine"])
    results = doc["results"]
    for r in results:
        check("result keys", RESULT_KEYS <= r.keys(), sorted(RESULT_KEYS - r.keys()))
        check("checksum ok", r["checksum_ok"] is True, r)
    if name in BOTH_WORKLOADS:
        check("no top-level workload", "workload" not in doc, doc.keys())
        seen = sorted((r["workload"], tuple(r["cpus_allowed"]), r["strategy"]) for r in results)
        allowed = tuple(doc["machine"]["cpus_allowed"])
        cpu_sets = (allowed, allowed[:1]) if name == "versus" else (allowed,)  # versus also pins to one
        wanted = sorted((w, c, s) for w in ("sleep", "cpu") for c in cpu_sets for s in STRATEGIES)
        check("one result per workload, CPU set and strategy", seen == wanted, seen)
        check("two verdicts", len(doc["verdicts"]) == 2, doc["verdicts"])
    else:
        check("workload keys", {"kind", "tasks", "seconds", "units"} <= doc["workload"].keys(), doc)
        check("one result per strategy", [r["strategy"] for r in results] == STRATEGIES,
              [r["strategy"] for r in results])
        check("one verdict", len(doc["verdicts"]) == 1, doc["verdicts"])
    if expect_cpus is not None:
        check("cpus_allowed with --cpus", doc["machine"]["cpus_allowed"] == expect_cpus, doc["machine"])


p = run("--quick")
check("--quick exits 0", p.returncode == 0, p.stderr)
last = p.stdout.strip().splitlines()[-1] if p.stdout.strip() else ""
check("ends with its note", last.startswith("Read alongside: notes/"), last)
note = last.removeprefix("Read alongside: ")
check("the note exists", os.path.isfile(os.path.join(root, note)), note)
check("no MISMATCH", "MISMATCH" not in p.stdout, p.stdout)

check_json(["--quick", "--json"])
check_json(["--quick", "--json", "--cpus", "0"], expect_cpus=[0])

p = run("--quick", "--csv")
rows = p.stdout.strip().splitlines()
wanted_rows = {"versus": 12, "gil": 8, "event_loop": 8}.get(name, len(STRATEGIES))
check("--csv exits 0", p.returncode == 0, p.stderr)
check("--csv: header and one row per result", len(rows) == 1 + wanted_rows and "wall_s" in rows[0], rows)

# --timeline-json: each result lists its tasks
p = run("--quick", "--json", "--timeline-json")
doc = json.loads(p.stdout) if p.returncode == 0 else {"results": []}
task_keys = {"start_s", "end_s", "cpu_s", "lane"}
check("--timeline-json: every result lists its tasks with start, end, cpu and lane",
      bool(doc["results"]) and all(r.get("tasks") and all(task_keys <= t.keys() for t in r["tasks"])
                                   for r in doc["results"]), p.stdout[:300])
check("--timeline-json: no task used more CPU than it was open",
      all(t["cpu_s"] <= t["end_s"] - t["start_s"] + 0.005 for r in doc["results"] for t in r.get("tasks", [])), "")

# --trace: Chrome Trace Event JSON, one complete event per task, by start time
trace_path = os.path.join(os.environ.get("TMPDIR", "/tmp"), f"atonce-trace-{name}-{os.getpid()}.json")
p = run("--quick", "--json", "--trace", trace_path)
try:
    with open(trace_path) as f:
        events = json.load(f)["traceEvents"]
    os.unlink(trace_path)
except (OSError, ValueError, KeyError) as e:
    events = []
    check("--trace writes a JSON trace", False, e)
doc = json.loads(p.stdout) if p.returncode == 0 else {"results": []}
tasks = doc["workload"]["tasks"] if "workload" in doc else None
x_events = [e for e in events if e.get("ph") == "X"]
per_task = [e for e in events if e.get("ph") in ("X", "b")]  # an event loop's overlapping tasks: async "b"/"e"
if tasks is not None:
    check("--trace: one event per task", len(per_task) == tasks * len(doc["results"]), len(per_task))
else:
    check("--trace: one event per task", len(per_task) >= len(doc["results"]), len(per_task))
check("--trace: every async begin has its end",
      sorted(e["id"] for e in events if e["ph"] == "b") == sorted(e["id"] for e in events if e["ph"] == "e"), "")
# "X" events on one thread must not overlap (they may only nest)
by_thread = {}
for e in x_events:
    by_thread.setdefault((e["pid"], e["tid"]), []).append(e)
overlapping = [(a, b) for evs in by_thread.values() for a, b in zip(evs, evs[1:])
               if b["ts"] < a["ts"] + a["dur"] and b["ts"] + b["dur"] > a["ts"] + a["dur"]]
check("--trace: no two X events overlap on one thread", not overlapping, overlapping[:1])
check("--trace: dur >= 0", all(e["dur"] >= 0 for e in x_events), x_events[:2])
check("--trace: ordered by start", [e["ts"] for e in x_events] == sorted(e["ts"] for e in x_events), "")
check("--trace: real pids and tids", all(e["pid"] > 0 and e["tid"] > 0 for e in x_events), x_events[:2])

if name == "event_loop":  # the sweep: each size under three strategies, each in a fresh process
    p = run("--tasks", "10,20", "--seconds", "0.05", "--json")
    check("sweep exits 0", p.returncode == 0, p.stderr)
    sweep = json.loads(p.stdout)["sweep"] if p.returncode == 0 else []
    seen = sorted((e["tasks"], e["strategy"]) for e in sweep)
    check("sweep: each size under each strategy",
          seen == sorted((t, s) for t in (10, 20) for s in ("event_loop", "threads", "processes")), seen)
    check("sweep: wall and memory for each", all("wall_s" in e and e["peak_rss_mib"] > 0 for e in sweep), sweep)

    # The sweep's flags: each honoured, or refused with exit 2 naming it.
    sweep = ["--tasks", "10,20", "--seconds", "0.05"]
    p = run(*sweep, "--csv")
    rows = p.stdout.strip().splitlines()
    check("sweep --csv exits 0", p.returncode == 0, p.stderr)
    check("sweep --csv: a header, then one row per point",
          len(rows) == 7 and rows[0].startswith("tasks,strategy,") and
          all(len(r.split(",")) == len(rows[0].split(",")) for r in rows), rows)
    p = run(*sweep, "--strategies", "event_loop", "--json")
    points = json.loads(p.stdout)["sweep"] if p.returncode == 0 else []
    check("sweep --strategies: only those", [(e["tasks"], e["strategy"]) for e in points] ==
          [(10, "event_loop"), (20, "event_loop")], p.stdout + p.stderr)
    p = run(*sweep, "--runs", "2", "--strategies", "threads", "--json")
    points = json.loads(p.stdout)["sweep"] if p.returncode == 0 else []
    check("sweep --runs: each point measured that often", bool(points) and
          all(e.get("runs", 0) >= 2 for e in points), p.stdout + p.stderr)
    p = run("--tasks", "10,20", "--tasks", "5", "--seconds", "0.02", "--runs", "1", "--warmup", "0",
            "--strategies", "event_loop,threads", "--json")
    doc = json.loads(p.stdout) if p.returncode == 0 else {}
    check("a later --tasks 5 replaces the list: a table of 5 sleeping tasks",
          "sweep" not in doc and any(r["workload"] == "sleep" and r["strategy"] == "event_loop" and
                                     r["ideal_speedup"] == 5 for r in doc.get("results", [])),
          p.stdout[:300] + p.stderr)
    for refused, flag in [(["--trace", trace_path], "--trace"), (["--json", "--timeline-json"], "--timeline-json")]:
        p = run(*sweep, *refused)
        lines = p.stderr.strip().splitlines()
        check(f"sweep {refused} exits 2", p.returncode == 2, p.returncode)
        check(f"sweep {refused} names {flag}", bool(lines) and flag in lines[0], p.stderr)
        check(f"sweep {refused} prints nothing", p.stdout == "", p.stdout)
        check(f"sweep {refused} writes no file", not os.path.exists(trace_path), trace_path)

p = run("--help")
check("--help exits 0", p.returncode == 0, p.stderr)
check("--help names the note", f"notes/" in p.stdout and p.stdout.strip().endswith(".md"), p.stdout[-200:])

for bad, flag in [(["--bogus"], "--bogus"), (["--tasks", "many"], "--tasks"),
                  (["--seconds", "nan"], "--seconds"), (["--strategies", "magic"], "--strategies"),
                  (["--cpus", "4096"], "--cpus"), (["--json", "--tasks"], "--tasks")]:
    p = run(*bad)
    lines = p.stderr.strip().splitlines()
    check(f"{bad} exits 2", p.returncode == 2, p.returncode)
    check(f"{bad} names {flag} on its first line", bool(lines) and flag in lines[0], p.stderr)
    check(f"{bad}: a message, then the usage", len(lines) > 1 and lines[1].startswith("Usage:"), p.stderr)
    check(f"{bad}: the usage fits 80 columns", all(len(line) <= 80 for line in lines[1:]), p.stderr)
    check(f"{bad} prints nothing on stdout", p.stdout == "", p.stdout)

for f in failures:
    print("FAIL", f)
print(f"{name}: {passes} passed, {len(failures)} failed")
sys.exit(1 if failures else 0)
