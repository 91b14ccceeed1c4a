#!/usr/bin/env python3
"""refresh --check compares what a note quotes with a new run by shape.

Usage: refresh_check.py REFRESH

Each case is a note of its own, in a fresh directory, whose command is
"build/demos/printf ..." (printf linked there, so refresh treats it as a
demo's output): what it prints is fixed, so each case says exactly what a
run on a busy machine could print. --check must pass when only figures, a
warning or the verdict's wording differ, or a line of the run is over 80
columns, or a line ends otherwise after a marker's `varies:` text; it must
fail when a word the note quotes changed, the verdict is about another
workload, or the note itself shows a line over 80 columns.
"""
import os
import shutil
import subprocess
import sys
import tempfile

refresh = os.path.abspath(sys.argv[1])
printf = shutil.which("printf") or "/usr/bin/printf"

failures, passes = [], 0

# A demo's output: the table, its warning, the verdict, the note's path.
RUN = (
    "2 tasks, each computes 5e-05 s of CPU, on 2 CPUs (0,1)\\n"
    "threads       0.000  0.000-0.004    0.000   107%%    0.45x     2x   22%%  ok\\n"
    "warning: threads runs ranged 0.000-0.004 s (900%% of the median):\\n"
    "         the machine may be busy; rerun, or raise --runs\\n"
    "\\n"
    "cpu: only 0.45x of an ideal 2x on 2 CPUs\\n"
    "  -> other programs took 1.93 CPUs during threads (/proc/stat)\\n"
    "\\n"
    "Read alongside: notes/02-cpu.md\\n"
)

# What the note quotes from another run: other figures, no warning, the
# verdict of a quiet machine.
QUOTED = """\
4 tasks, each computes 0.5 s of CPU, on 4 CPUs (0-3)
threads       0.513  0.512-0.526    1.022   199%    1.98x     4x   99%  ok

cpu: 3.97x on 4 CPUs (ideal 4x)
  -> the tasks computed in parallel

Read alongside: notes/02-cpu.md
"""

QUOTED_VERDICT = """\
cpu: 1.97x on 2 CPUs (ideal 2x)
  -> the tasks computed in parallel
"""


def note(markers, quoted):
    lines = "".join(f"<!-- run: build/demos/printf {m} -->\n" for m in markers)
    return f"# t\n\n{lines}```text\n{quoted}```\n"


def check(what, markers, quoted, should_pass, expect_in_error=""):
    """Runs refresh --check on a note of `markers` above `quoted`."""
    global passes
    text = note(markers, quoted)
    with tempfile.TemporaryDirectory() as top:
        os.makedirs(os.path.join(top, "build", "demos"))
        os.symlink(printf, os.path.join(top, "build", "demos", "printf"))
        os.makedirs(os.path.join(top, "notes"))
        path = os.path.join("notes", "t.md")
        with open(os.path.join(top, path), "w") as f:
            f.write(text)
        p = subprocess.run([refresh, "--check", path], cwd=top, capture_output=True, text=True, timeout=60)
        with open(os.path.join(top, path)) as f:
            unchanged = f.read() == text
    ok = (p.returncode == 0) == should_pass and expect_in_error in p.stderr and unchanged
    if ok:
        passes += 1
    else:
        failures.append(f"{what}: exit {p.returncode}, stderr:\n{p.stderr}")


def printing(output):
    return f"'{output}'"


check("other figures, a warning and another verdict pass", [printing(RUN)], QUOTED, True)
check("a verdict marker passes whatever the verdict says",
      [printing(RUN) + " | verdict", printing(RUN)], QUOTED_VERDICT + QUOTED, True)
check("a line of the run over 80 columns passes (its figures are the run's)",
      [printing("threads " + "1" * 100 + "x\\n")], "threads 1.98x\n", True)
check("random bytes as Python shows them (a space among them) pass",
      ["\"  last 10: b'a b,c'\\n\""], "  last 10: b'\\xd3\\x02'\n", True)
check("lines: N counts only what every run prints (not a set-aside line)",
      [printing("table\\nchecksum 5a16\\nset aside as not fair (the CPU was slower): mpi 1 of 4 runs; the\\n"
                "  medians are of the rest\\nCPU time per rank, last run: 0.201 0.202 s\\nmore\\n")
       + " | lines: 3", printing(RUN) + " | verdict"],
      "table\nchecksum fc1e\nCPU time per rank, last run: 0.201 0.202 s\n" + QUOTED_VERDICT, True)
check("varies: a line may end otherwise after its text",
      [printing("parent: its child sleep (pid 12) is gone\\n") + " | varies: child sleep (pid"],
      "parent: its child sleep (pid 29775) is dead (a zombie until init reaps it)\n", True)
check("without varies: it may not",
      [printing("parent: its child sleep (pid 12) is gone\\n")],
      "parent: its child sleep (pid 29775) is dead (a zombie until init reaps it)\n", False, "shape")
check("a word the note quotes that the run no longer prints fails",
      [printing(RUN.replace("each computes", "each calculates"))], QUOTED, False,
      "no longer has the note's shape")
check("a verdict about another workload fails",
      [printing(RUN.replace("cpu: only", "sleep: only"))], QUOTED, False, "verdict cpu:")
check("a line the note shows over 80 columns fails",
      [printing("threads 1.98x\\n")], "threads " + "1" * 100 + "x\n", False, "wider than 80 columns")
check("a missing line fails", [printing(RUN.replace("threads       0.000", "processes     0.000"))],
      QUOTED, False, "threads")

for f in failures:
    print(f"FAIL {f}")
print(f"refresh --check: {passes} passed, {len(failures)} failed")
sys.exit(1 if failures else 0)
