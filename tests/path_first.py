#!/usr/bin/env python3
"""The seed's demos with a PATH that names other programs first.

Usage: path_first.py DEMO_DIR

1. PATH=DEMO_DIR:$PATH, as when the tour is started through PATH: there
   `sleep` and `timeout` are our demos, not coreutils'. Every seed demo must
   still run the system's programs, show its lesson and exit 0, with nothing
   on stderr.
2. A directory first in PATH whose sleep, echo, openssl and true are all
   `false` (exit 1): every seed demo must say on stderr, in a line naming
   the demo and the program, that its child failed, exit 1, and not end
   with its note as if the lesson had been shown.

pipe_input and pipeline are left out when openssl is not installed.
"""
import os
import shutil
import subprocess
import sys
import tempfile

demo_dir = os.path.abspath(sys.argv[1])
system_path = os.environ.get("PATH", "/usr/bin:/bin")
has_openssl = shutil.which("openssl", path=system_path) is not None

# Each demo with short settings, the program it runs, and the lines (with
# how many times each) that show its lesson.
DEMOS = [
    ("run_capture", [], "echo", {"parent: echo exited with 0": 1, "captured 30 bytes": 1}),
    ("poll_child", ["--seconds", "0.1"], "sleep", {"parent: sleep exited with 0: returncode 0": 2}),
    ("pipe_input", [], "openssl", {": 10 bytes in, 32 out": 3}),
    ("pipeline", [], "openssl", {": digest of 32 bytes": 3}),
    ("timeout", ["--timeout", "0.05"], "sleep",
     {"sleep killed by SIGTERM; returncode -15": 1, "started sleep as pid": 2,
      "forker killed by SIGTERM": 1, "is still running": 1}),  # the naive scene's orphan only
    ("parallel_children", ["--quick", "--no-sequential"], "sleep", {"all did the same work.": 1}),
    ("spawn_cost", ["--quick"], "true", {"posix_spawn true + wait": 1}),
]

failures, passes = [], 0


def check(what, ok, detail=""):
    global passes
    if ok:
        passes += 1
    else:
        failures.append(f"{what}: {str(detail)[-800:]}")


def run(name, args, path):
    env = dict(os.environ, PATH=path, NO_COLOR="1")
    return subprocess.run([os.path.join(demo_dir, name), *args], capture_output=True, text=True,
                          timeout=60, env=env)


def demos():
    return [d for d in DEMOS if has_openssl or d[2] != "openssl"]


# 1. Our demos first in PATH: the system's programs must still be the ones run.
for name, args, program, lesson in demos():
    p = run(name, args, f"{demo_dir}:{system_path}")
    check(f"{name}, PATH=demos first: exits 0", p.returncode == 0, f"{p.returncode}: {p.stderr.strip()}")
    check(f"{name}, PATH=demos first: nothing on stderr", p.stderr == "", p.stderr.strip())
    for line, times in lesson.items():
        check(f"{name}, PATH=demos first: {line!r} x{times}", p.stdout.count(line) == times, p.stdout)

# 2. Children that exit 1: reported, and the demo exits 1.
false = shutil.which("false", path=system_path)
with tempfile.TemporaryDirectory() as fakes:
    for program in ("sleep", "echo", "openssl", "true"):
        os.symlink(false, os.path.join(fakes, program))
    for name, args, program, _ in demos():
        p = run(name, args, f"{fakes}:{demo_dir}:{system_path}")
        first = p.stderr.splitlines()[0] if p.stderr else ""
        check(f"{name}, {program} exits 1: the demo exits 1", p.returncode == 1, f"{p.returncode}: {p.stdout}")
        check(f"{name}, {program} exits 1: said on stderr, naming the demo and {program}",
              first.startswith(f"{name}: ") and program in first, p.stderr)
        check(f"{name}, {program} exits 1: no note as if the lesson was shown", "Read alongside" not in p.stdout,
              p.stdout)

for f in failures:
    print("FAIL", f)
print(f"path_first: {passes} passed, {len(failures)} failed")
sys.exit(1 if failures else 0)
