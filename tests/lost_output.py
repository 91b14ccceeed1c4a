#!/usr/bin/env python3
"""A result that was not written is an error (issue 12, item 1 and 9).

Usage: lost_output.py DEMO_DIR DEMO_NAME...

For every demo and every output flag it has (the table, --json, --csv,
--json --timeline-json):
  - with stdout closed (`>&-`) the demo stops at once: exit 1, one line on
    stderr saying standard output is closed;
  - with stdout on /dev/full (a full disk) it exits 1 and names the write
    error on standard output. Slow demos run this with their shortest
    settings and their default output only; the flags are all tried on the
    fast ones (the check is one for all: stdout's error flag at exit).
And --trace: a path that cannot be written fails before anything is
measured (exit 1, nothing on stdout, in well under a measurement's time);
a written trace is whole JSON, with no temporary file left beside it.
"""
import json
import os
import re
import subprocess
import sys
import tempfile
import time

demo_dir, names = sys.argv[1], sys.argv[2:]
failures, passes = [], 0

SHORT = ["--tasks", "2", "--seconds", "0.01", "--runs", "1", "--warmup", "0"]
# Each demo's shortest run; None: only the closed stdout is tried (the tour
# runs demos). mpi_cpu is left out: its ranks write to a pipe that mpirun
# empties, and mpirun writes our stdout.
RUNS = {"sleep": SHORT, "cpu": SHORT, "versus": SHORT, "gil": SHORT, "event_loop": SHORT,
        "parallel_children": SHORT, "scaling": ["--quick"], "spawn_cost": ["--quick"],
        "run_capture": [], "poll_child": ["--seconds", "0.05"], "pipe_input": [],
        "pipeline": [], "timeout": ["--timeout", "0.05"], "tour": None}
FAST = {"sleep", "parallel_children", "spawn_cost"}  # every flag on /dev/full


def check(what, ok, detail=""):
    global passes
    if ok:
        passes += 1
    else:
        failures.append(f"{what}: {detail}")


def output_flags(path):
    """The output flags this demo's --help lists: [] (the table) first."""
    text = subprocess.run([path, "--help"], capture_output=True, text=True, timeout=30).stdout
    flags = [[]]
    if "--json" in text:
        flags.append(["--json"])
    if "--csv" in text:
        flags.append(["--csv"])
    if "--timeline-json" in text:
        flags.append(["--json", "--timeline-json"])
    return flags


def run(argv, stdout):
    return subprocess.run(argv, stdin=subprocess.DEVNULL, stdout=stdout, stderr=subprocess.PIPE,
                          text=True, timeout=120)


for name in names:
    if name == "mpi_cpu":
        continue
    path = os.path.join(demo_dir, name)
    args = RUNS.get(name, [])
    for flags in output_flags(path):
        argv = [path, *(args or []), *flags]
        closed = subprocess.run(argv, stdin=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                                timeout=30, preexec_fn=lambda: os.close(1))
        check(f"{name} {flags} with stdout closed exits 1", closed.returncode == 1,
              f"exit {closed.returncode}: {closed.stderr!r}")
        check(f"{name} {flags} with stdout closed says so in one line",
              closed.stderr.count("\n") == 1 and "standard output is closed" in closed.stderr,
              repr(closed.stderr))
        if args is None or (flags and name not in FAST and flags != ["--json"]):
            continue
        with open("/dev/full", "w") as full:
            p = run(argv, full)
        check(f"{name} {flags} > /dev/full exits 1", p.returncode == 1, f"exit {p.returncode}: {p.stderr!r}")
        # The reason, or "reason unknown" when the failed write was stdio's
        # own, emptying its full buffer, and nothing was written after it.
        check(f"{name} {flags} > /dev/full names the error",
              re.search(f"^{name}: write error on standard output: (No space left on device|reason unknown)$",
                        p.stderr, re.M) is not None, repr(p.stderr))

sleep = os.path.join(demo_dir, "sleep")
# stdout and stderr both closed: nothing may take fd 1 in their place.
p = subprocess.run([sleep, "--quick"], stdin=subprocess.DEVNULL, timeout=30,
                   preexec_fn=lambda: (os.close(1), os.close(2)))
check("stdout and stderr closed exits 1", p.returncode == 1, f"exit {p.returncode}")

start = time.monotonic()
p = run([sleep, "--seconds", "20", "--trace", "/nonexistent-folder/t.json"], subprocess.PIPE)
took = time.monotonic() - start
check("--trace to a missing folder exits 1", p.returncode == 1, f"exit {p.returncode}")
check("--trace to a missing folder fails before measuring", took < 5 and p.stdout == "",
      f"{took:.2f} s, stdout {p.stdout[:80]!r}")
check("--trace to a missing folder is named", "--trace: cannot write /nonexistent-folder/t.json" in p.stderr,
      repr(p.stderr))
# A path with a newline and an escape sequence is named on one line, escaped.
p = run([sleep, "--quick", "--trace", "/nonexistent\nfolder/\x1b[31mt.json"], subprocess.PIPE)
check("--trace's path is escaped in its error", p.returncode == 1 and p.stderr.count("\n") == 1 and
      "cannot write /nonexistent\\nfolder/\\x1b[31mt.json: No such file" in p.stderr, repr(p.stderr))
with tempfile.TemporaryDirectory() as folder:
    trace = os.path.join(folder, "t.json")
    with open(trace, "w") as f:
        f.write("the old trace")
    p = run([sleep, *SHORT, "--trace", trace], subprocess.DEVNULL)
    check("--trace writes and exits 0", p.returncode == 0, p.stderr)
    try:
        with open(trace) as f:
            check("--trace replaced the old file with whole JSON", "traceEvents" in json.load(f))
    except ValueError as e:
        check("--trace is whole JSON", False, str(e))
    check("--trace left no temporary file", os.listdir(folder) == ["t.json"], os.listdir(folder))

for f in failures:
    print("FAIL", f)
print(f"{passes} passed, {len(failures)} failed")
sys.exit(1 if failures else 0)
