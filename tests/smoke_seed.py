#!/usr/bin/env python3
"""Smoke test for one of the seed's demos (or spawn_cost), run as a program.

Usage: smoke_seed.py DEMO_BINARY NOTES_ROOT [ARG]...

Runs the demo with ARGs: it must exit 0, tag its lines with who is speaking,
and end by naming a note that exists. --help exits 0 and ends with the note;
an unknown flag exits 2 with one line naming it. A demo that needs openssl
is skipped (exit 77, meson's code for a skip) when openssl is not in PATH.
"""
import os
import shutil
import subprocess
import sys

demo, root, args = sys.argv[1], sys.argv[2], sys.argv[3:]
name = os.path.basename(demo)
if name in ("pipe_input", "pipeline") and shutil.which("openssl") is None:
    print(f"{name}: skipped: openssl is not installed")
    sys.exit(77)

failures, passes = [], 0


def check(what, ok, detail=""):
    global passes
    if ok:
        passes += 1
    else:
        failures.append(f"{what}: {detail}")


def run(*argv):
    return subprocess.run([demo, *argv], capture_output=True, text=True, timeout=60)


p = run(*args)
lines = p.stdout.strip().splitlines()
check(f"{args} exits 0", p.returncode == 0, p.stderr)
check("ends with its note", bool(lines) and lines[-1].startswith("Read alongside: notes/"), lines[-1:])
if lines:
    note = lines[-1].removeprefix("Read alongside: ")
    check("the note exists", os.path.isfile(os.path.join(root, note)), note)
if name == "scaling":
    import json
    p = run("--quick", "--json")
    doc = json.loads(p.stdout) if p.returncode == 0 else {"points": [], "cpus": -1}
    check("--json: one point per worker count, 1 .. 2 x CPUs",
          [q["workers"] for q in doc["points"]] == list(range(1, 2 * doc["cpus"] + 1)), p.stdout[:200])
    check("--json: every worker count computed the same", all(q["checksum_ok"] for q in doc["points"]), doc)
    p = run("--serial-fraction", "1.5")
    check("--serial-fraction 1.5 exits 2 naming it", p.returncode == 2 and "--serial-fraction" in p.stderr,
          p.stderr)
elif name != "spawn_cost":  # a table, not a conversation between processes
    speakers = ("parent:", "child ", "chain ", "forker ")
    check("lines say who is speaking", any(line.startswith(speakers) for line in lines), lines[:3])
else:
    import json
    p = run("--quick", "--json")
    units = [u["name"] for u in json.loads(p.stdout)["units"]] if p.returncode == 0 else []
    check("--json lists the four units", len(units) == 4, p.stdout[:200])

p = run("--help")
check("--help exits 0", p.returncode == 0, p.stderr)
check("--help ends with the note", "Read alongside: notes/" in p.stdout.strip().splitlines()[-1], p.stdout[-100:])

p = run("--bogus")
check("--bogus exits 2", p.returncode == 2, p.returncode)
check("--bogus is named", p.stderr.startswith(f"{name}: --bogus:"), p.stderr)
check("--bogus prints nothing on stdout", p.stdout == "", p.stdout)

for f in failures:
    print("FAIL", f)
print(f"{name}: {passes} passed, {len(failures)} failed")
sys.exit(1 if failures else 0)
