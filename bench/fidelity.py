#!/usr/bin/env python3
"""How often the tour's tables tell the truth.

Usage: bench/fidelity.py BUILD_DIR [--runs N] [--loaded-runs N] [--only quick|default]

Runs every measuring command the tour runs (demos/tour.c, default and
--quick) N times (default 20) with --json, and counts for each command:

  lesson      every row within the lesson's bounds: computing rows that can
              run in parallel at least 92.5 % of their ideal (1.85x on 2
              CPUs), computing rows pinned to one CPU within 0.95-1.05x,
              computing rows that cannot run in parallel on more CPUs (one
              lock, one event loop) within 0.90-1.05x (the lock's hand-offs
              cost a little), waiting rows at least 90 % of their ideal, and
              no row over 105 % of its ideal;
  flagged     not so, and the demo said it: a row carries a flag (others,
              steal, throttled, noise) or a verdict does not claim the lesson;
  misleading  not so, and the demo claimed the lesson anyway: must be 0.

A quiet run is one in which other programs took under 5 % of a CPU (the
machine's busy time in /proc/stat minus the command's own CPU time, plus
steal: what the hypervisor gave other machines, as the demos measure it):
runs that were not quiet are discarded and counted. Then each command runs
--loaded-runs times (default 3) beside two CPU hogs per CPU, and once inside
a cgroup with a 1-CPU quota (root only; skipped with the reason otherwise),
and the causes the verdicts named are printed. Exits 1 if a misleading run
was seen.
"""
import argparse
import json
import os
import platform
import re
import subprocess
import sys
import time

QUIET_SHARE = 0.05  # other programs' CPUs' worth under which a run counts as quiet
CLAIMS = [  # the verdict phrases that state a lesson (lib/verdict.c and the demos)
    "the waiting overlapped", "the tasks computed in parallel", "concurrency is enough",
    "only parallelism speeds up", "waits still overlap", "one lock, one computing thread",
    "waits overlap without threads", "one thread computes one task at a time",
    "one CPU computes one task at a time", "speedup stops at the", "the serial share caps it",
]

# The tour's measuring stops (demos/tour.c), default then --quick; the seed's
# demos that only run a program are left out: they have no table to judge.
DEFAULT = [["versus", "--quick"], ["sleep", "--cpus", "0", "--runs", "1", "--warmup", "0"],
           ["cpu", "--runs", "1"], ["versus", "--runs", "1"], ["parallel_children"], ["gil", "--runs", "1"],
           ["event_loop", "--runs", "1"], ["scaling", "--quick"], ["mpi_cpu", "--runs", "1"]]
QUICK = [["versus", "--quick"], ["sleep", "--cpus", "0", "--quick"], ["cpu", "--quick"],
         ["parallel_children", "--quick"], ["gil", "--quick"], ["event_loop", "--quick"],
         ["scaling", "--quick"], ["mpi_cpu", "--quick"]]


def busy_ticks():
    """All CPUs' busy time (user, nice, system, irq, softirq) and steal (the
    time the hypervisor gave our CPUs to other machines) from /proc/stat, in seconds."""
    with open("/proc/stat") as f:
        fields = [int(x) for x in f.readline().split()[1:]]
    return (fields[0] + fields[1] + fields[2] + fields[5] + fields[6] + fields[7]) / os.sysconf("SC_CLK_TCK")


def argv_of(build, command):
    path = os.path.join(build, "demos", command[0])
    argv = [path, *command[1:], "--json"]
    if command[0] == "mpi_cpu":
        root = ["--allow-run-as-root"] if os.geteuid() == 0 else []
        argv = ["mpirun", *root, "-np", "2", *argv]
    return argv


def children_cpu():
    """CPU time of this script's reaped children (and theirs), in seconds."""
    t = os.times()
    return t.children_user + t.children_system


def run_once(build, command, preexec=None):
    """Runs the command; returns (its JSON, other programs' CPUs' worth during it)."""
    busy_before, own_before, start = busy_ticks(), children_cpu(), time.monotonic()
    english = dict(os.environ, LANGUAGE="en")  # the verdicts are read as English (lib/i18n.h)
    run = subprocess.run(argv_of(build, command), capture_output=True, text=True, timeout=600,
                         preexec_fn=preexec, env=english)
    wall, busy_after, own = time.monotonic() - start, busy_ticks(), children_cpu() - own_before
    if run.returncode != 0:
        raise RuntimeError(f"{' '.join(command)}: exit {run.returncode}: {run.stderr.strip()}")
    return json.loads(run.stdout), max(0.0, busy_after - busy_before - own) / wall


def rows(report):
    """(strategy, kind, cpus, speedup, ideal, flags) for every result."""
    top_kind = report.get("workload", {}).get("kind")
    cpus = report["machine"]["cpus_allowed"]
    if "points" in report:  # scaling: one pool of workers per point, all computing
        for p in report["points"][1:]:
            ideal = min(p["workers"], len(cpus))
            yield (f"{p['workers']} workers", "cpu", cpus, p["speedup"], ideal, [])
        return
    for r in report["results"]:
        if r["strategy"] == "sequential" or r.get("speedup") is None:
            continue
        yield (r["strategy"], r.get("workload", top_kind), r.get("cpus_allowed", cpus), r["speedup"],
               r["ideal_speedup"], r.get("flags", []))


def out_of_bounds(report):
    """The rows that do not show the lesson, as text."""
    bad = []
    for strategy, kind, cpus, speedup, ideal, _ in rows(report):
        eff = speedup / ideal
        if kind == "cpu" and ideal > 1:
            ok = 0.925 <= eff <= 1.05
        elif kind == "cpu" and len(cpus) == 1:
            ok = 0.95 <= speedup <= 1.05
        elif kind == "cpu":
            ok = 0.90 <= speedup <= 1.05
        else:
            ok = 0.90 <= eff <= 1.05
        if not ok:
            bad.append(f"{strategy} {kind} {speedup:.2f}x of {ideal:g}x on {len(cpus)} CPU(s)")
    return bad


def flagged(report):
    if any(flags for *_, flags in rows(report)):
        return True
    return not all(any(c in v for c in CLAIMS) for v in report["verdicts"])


def causes(report):
    """What the verdicts said after the arrow, where they named no lesson."""
    return [v.split("-> ", 1)[-1] for v in report["verdicts"] if not any(c in v for c in CLAIMS)]


def judge(build, command, n, discard_busy, preexec=None):
    counts = {"lesson": 0, "flagged": 0, "misleading": 0, "not quiet": 0}
    examples, named = [], {}
    for _ in range(n):
        report, others = run_once(build, command, preexec)
        if discard_busy and others >= QUIET_SHARE:
            counts["not quiet"] += 1
            continue
        bad = out_of_bounds(report)
        if not bad:
            counts["lesson"] += 1
        elif flagged(report):
            counts["flagged"] += 1
        else:
            counts["misleading"] += 1
            examples.append("; ".join(bad) + " | " + " / ".join(report["verdicts"]))
        for c in causes(report):
            c = re.sub(r"[0-9.]+", "N", c)  # the same cause with other numbers counts once
            named[c] = named.get(c, 0) + 1
    return counts, examples, named


def print_counts(title, commands, results):
    print(f"\n{title}")
    print(f"  {'command':<46} {'lesson':>6} {'flagged':>7} {'mislead':>7} {'busy':>5}")
    for command in commands:
        counts, examples, named = results[tuple(command)]
        judged = sum(counts.values()) - counts["not quiet"]
        print(f"  {' '.join(command):<46} {counts['lesson']:>3}/{judged:<2} {counts['flagged']:>7}"
              f" {counts['misleading']:>7} {counts['not quiet']:>5}")
        for e in examples:
            print(f"      misleading: {e}")
        for c, k in sorted(named.items(), key=lambda x: -x[1]):
            print(f"      named {k}x: {c}")


def start_hogs():
    return [subprocess.Popen(["yes"], stdout=subprocess.DEVNULL) for _ in range(2 * os.cpu_count())]


def stop_hogs(hogs):
    for h in hogs:
        h.kill()
        h.wait()


def quota_cgroup():
    """A cgroup with a 1-CPU quota and a function that moves a child into it, or (None, reason)."""
    if os.geteuid() != 0:
        return None, "not root"
    name = f"atonce-fidelity-{os.getpid()}"
    try:
        if os.path.exists("/sys/fs/cgroup/cpu/cpu.cfs_quota_us"):
            path = f"/sys/fs/cgroup/cpu/{name}"
            os.mkdir(path)
            open(f"{path}/cpu.cfs_period_us", "w").write("100000")
            open(f"{path}/cpu.cfs_quota_us", "w").write("100000")
        else:
            open("/sys/fs/cgroup/cgroup.subtree_control", "w").write("+cpu")
            path = f"/sys/fs/cgroup/{name}"
            os.mkdir(path)
            open(f"{path}/cpu.max", "w").write("100000 100000")
    except OSError as e:
        return None, str(e)
    return path, None


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("build")
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--loaded-runs", type=int, default=3)
    parser.add_argument("--only", choices=["quick", "default"])
    args = parser.parse_args()
    have_mpi = os.path.exists(os.path.join(args.build, "demos", "mpi_cpu"))
    sets = [("--quick", QUICK), ("default", DEFAULT)]
    if args.only:
        sets = [s for s in sets if s[0].strip("-") == args.only]
    print(f"machine: {os.cpu_count()} CPUs, Linux {platform.release()}; {time.strftime('%Y-%m-%d %H:%M')}")
    print(f"quiet: other programs and steal under {QUIET_SHARE:.0%} of a CPU during the run (/proc/stat)")
    misleading = 0
    for name, commands in sets:
        commands = [c for c in commands if have_mpi or c[0] != "mpi_cpu"]
        results = {tuple(c): judge(args.build, c, args.runs, True) for c in commands}
        print_counts(f"quiet, {name}: {args.runs} runs of each", commands, results)
        misleading += sum(r[0]["misleading"] for r in results.values())
        hogs = start_hogs()
        try:
            results = {tuple(c): judge(args.build, c, args.loaded_runs, False) for c in commands}
        finally:
            stop_hogs(hogs)
        print_counts(f"loaded (2 hogs per CPU), {name}: {args.loaded_runs} runs of each", commands, results)
        misleading += sum(r[0]["misleading"] for r in results.values())
        path, why = quota_cgroup()
        if path is None:
            print(f"\nquota, {name}: skipped ({why})")
            continue
        join = lambda: open(f"{path}/cgroup.procs", "w").write(str(os.getpid()))
        try:
            results = {tuple(c): judge(args.build, c, 1, False, join) for c in commands if c[0] != "mpi_cpu"}
        finally:
            os.rmdir(path)
        print_counts(f"quota of 1 CPU, {name}: 1 run of each", [c for c in commands if c[0] != "mpi_cpu"],
                     results)
        misleading += sum(r[0]["misleading"] for r in results.values())
    print(f"\nmisleading runs in all: {misleading}")
    return 1 if misleading else 0


if __name__ == "__main__":
    sys.exit(main())
