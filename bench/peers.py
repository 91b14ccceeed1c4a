#!/usr/bin/env python3
"""Our demos against the same jobs in Python and in shell, side by side in
one run; rewrites the tables in bench/README.md with the machine and date.

Usage: bench/peers.py BUILD_DIR [--runs N]     (or: meson test -C build --benchmark)

Jobs (each measured here, now, on this machine):
  1. 10 tasks that sleep 1 s
  2. 100 real `sleep 0.1` programs
  3. CPU work in 2 tasks: the same fixed number of xorshift rounds per task
  4. start and finish one thread, and one child running `true`
Each row: the median wall time of --runs runs (sequential sleeps: one run,
they are 10 s each and vary by microseconds) with min-max, the speedup
over the same system's own sequential run, and the ratio to ours (their
wall / our wall for the same kind of strategy: above 1 means ours is faster).
"""
import datetime
import json
import os
import platform
import re
import statistics
import subprocess
import sys

build = sys.argv[1] if len(sys.argv) > 1 else "build"
RUNS = int(sys.argv[sys.argv.index("--runs") + 1]) if "--runs" in sys.argv else 3
here = os.path.dirname(os.path.abspath(__file__))
PY = [sys.executable, os.path.join(here, "peers", "python_jobs.py")]
SH = ["bash", os.path.join(here, "peers", "shell_jobs.sh")]
CPU_UNITS = 3_000_000  # per task: a few ms in C, about 2 s in Python (hundreds of times slower per round)


def demo(name, *args):
    cmd = [os.path.join(build, "demos", name), *args]
    return json.loads(subprocess.run(cmd, check=True, capture_output=True, text=True).stdout)


def timed(cmd, runs):
    """Runs a peer's job `runs` times; its own wall times (first field printed)."""
    walls = []
    for _ in range(runs):
        out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout.split()
        walls.append(float(out[0]))
    return walls


def row(system, how, walls, sequential, ours):
    median = statistics.median(walls)
    spread = f"{min(walls):.4f}-{max(walls):.4f}" if len(walls) > 1 else "1 run"
    speedup = f"{sequential / median:.2f}x" if sequential else "-"
    ratio = f"{median / ours:.2f}" if ours else "-"
    return f"| {system} | {how} | {median:.4f} | {spread} | {speedup} | {ratio} |"


HEADER = ("| system | strategy | wall s (median) | min-max s | speedup over its own sequential "
          "| ratio to ours |\n|---|---|---|---|---|---|")


def ours_results(doc):
    return {r["strategy"]: r for r in doc["results"]}


def sleep_job():
    doc = demo("sleep", "--tasks", "10", "--seconds", "1", "--runs", str(RUNS), "--warmup", "0",
               "--strategies", "threads,processes,event_loop", "--json")
    seq = demo("sleep", "--tasks", "10", "--seconds", "1", "--runs", "1", "--warmup", "0",
               "--strategies", "sequential", "--json")
    ours = ours_results(doc)
    our_seq = seq["results"][0]["wall_s"]
    lines = [HEADER, row("atonce (C)", "sequential", [our_seq], our_seq, our_seq)]
    for name in ("threads", "processes", "event_loop"):
        r = ours[name]
        lines.append(row("atonce (C)", name, [r["wall_min_s"], r["wall_s"], r["wall_max_s"]] if RUNS > 1
                         else [r["wall_s"]], our_seq, r["wall_s"]))
    py_seq = timed(PY + ["sleep", "sequential", "10", "1"], 1)[0]
    lines.append(row("Python", "sequential (time.sleep)", [py_seq], py_seq, our_seq))
    for mode, like in (("threading", "threads"), ("asyncio", "event_loop"), ("multiprocessing", "processes")):
        lines.append(row("Python", mode, timed(PY + ["sleep", mode, "10", "1"], RUNS), py_seq,
                         ours[like]["wall_s"]))
    sh_seq = timed(SH + ["sleep", "sequential", "10", "1"], 1)[0]
    lines.append(row("bash", "sequential (sleep 1; ...)", [sh_seq], sh_seq, our_seq))
    lines.append(row("bash", "`sleep 1 &` ... `wait`", timed(SH + ["sleep", "ampersand", "10", "1"], RUNS),
                     sh_seq, ours["processes"]["wall_s"]))
    lines.append(row("bash", "`xargs -P 10`", timed(SH + ["sleep", "xargs", "10", "1"], RUNS), sh_seq,
                     ours["processes"]["wall_s"]))
    return "\n".join(lines)


def children_job():
    par = demo("parallel_children", "--no-sequential", "--tasks", "100", "--seconds", "0.1", "--runs",
               str(RUNS), "--warmup", "1", "--json")["results"][0]
    seq = demo("parallel_children", "--strategies", "sequential", "--tasks", "100", "--seconds", "0.1",
               "--runs", "1", "--warmup", "0", "--json")["results"][0]
    lines = [HEADER, row("atonce (C)", "sequential (child_run)", [seq["wall_s"]], seq["wall_s"], seq["wall_s"]),
             row("atonce (C)", "all at once (child_spawn, then wait)",
                 [par["wall_min_s"], par["wall_s"], par["wall_max_s"]], seq["wall_s"], par["wall_s"])]
    py_seq = timed(PY + ["children", "sequential", "100", "0.1"], 1)[0]
    lines.append(row("Python", "sequential (subprocess.run)", [py_seq], py_seq, seq["wall_s"]))
    lines.append(row("Python", "all at once (Popen, then wait)",
                     timed(PY + ["children", "subprocess", "100", "0.1"], RUNS), py_seq, par["wall_s"]))
    sh_seq = timed(SH + ["sleep", "sequential", "100", "0.1"], 1)[0]
    lines.append(row("bash", "sequential", [sh_seq], sh_seq, seq["wall_s"]))
    lines.append(row("bash", "`sleep 0.1 &` ... `wait`", timed(SH + ["sleep", "ampersand", "100", "0.1"], RUNS),
                     sh_seq, par["wall_s"]))
    lines.append(row("bash", "`xargs -P 100`", timed(SH + ["sleep", "xargs", "100", "0.1"], RUNS), sh_seq,
                     par["wall_s"]))
    return "\n".join(lines)


def cpu_job():
    fixed = os.path.join(build, "bench", "fixed_work")
    ours, checksums = {}, set()
    for name in ("sequential", "threads", "processes"):
        r = json.loads(subprocess.run([fixed, name, "2", str(CPU_UNITS), str(RUNS)], check=True,
                                      capture_output=True, text=True).stdout)
        ours[name] = r
        checksums.add(r["checksum"])
    lines = [HEADER]
    for name in ("sequential", "threads", "processes"):
        r = ours[name]
        lines.append(row("atonce (C)", name, [r["wall_min_s"], r["wall_s"], r["wall_max_s"]],
                         ours["sequential"]["wall_s"], r["wall_s"]))
    py = {}
    for mode in ("sequential", "threading", "multiprocessing"):
        walls = []
        for _ in range(RUNS):
            out = subprocess.run(PY + ["cpu", mode, "2", str(CPU_UNITS)], check=True, capture_output=True,
                                 text=True).stdout.split()
            walls.append(float(out[0]))
            checksums.add(out[1])
        py[mode] = walls
    py_seq = statistics.median(py["sequential"])
    for mode, like in (("sequential", "sequential"), ("threading", "threads"), ("multiprocessing", "processes")):
        lines.append(row("Python", mode, py[mode], py_seq, ours[like]["wall_s"]))
    same = "the same checksum" if len(checksums) == 1 else f"DIFFERENT checksums: {sorted(checksums)}"
    lines.append(f"\nEvery run computed {same} ({CPU_UNITS:,} rounds per task). bash has no row: a shell "
                 "cannot compute in parallel without starting other programs.")
    return "\n".join(lines)


def start_job():
    doc = demo("spawn_cost", "--json")
    units = {u["name"]: u["us"] for u in doc["units"]}
    our_thread, our_child = units["pthread_create + join"], units["posix_spawn true + wait"]
    lines = ["| system | what | microseconds per one (median) | ratio to ours |", "|---|---|---|---|",
             f"| atonce (C) | pthread_create + join | {our_thread:.1f} | 1.00 |",
             f"| atonce (C) | posix_spawn `true` + wait | {our_child:.1f} | 1.00 |"]
    thread = statistics.median(timed(PY + ["start", "thread", "2000"], RUNS)) * 1e6
    child = statistics.median(timed(PY + ["start", "child", "200"], RUNS)) * 1e6
    shell = statistics.median(timed(SH + ["start", "child", "200"], RUNS)) * 1e6
    lines.append(f"| Python | threading.Thread start + join | {thread:.1f} | {thread / our_thread:.2f} |")
    lines.append(f"| Python | subprocess.run(['true']) | {child:.1f} | {child / our_child:.2f} |")
    lines.append(f"| bash | `/bin/true` | {shell:.1f} | {shell / our_child:.2f} |")
    return "\n".join(lines)


def main():
    cpu = platform.processor() or platform.machine()
    model = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name")),
                 cpu)
    py_version = platform.python_version()
    bash = subprocess.run(["bash", "--version"], capture_output=True, text=True).stdout.splitlines()[0]
    header = (f"Measured on {datetime.date.today()} by `python3 bench/peers.py build` (runs: {RUNS}): "
              f"{os.cpu_count()} CPUs ({model}), Linux {platform.release()}, Python {py_version}, {bash}.")
    sections = [header]
    for title, job in (("1. Ten tasks that sleep 1 s", sleep_job),
                       ("2. A hundred real `sleep 0.1` programs", children_job),
                       ("3. Computing: 2 tasks of fixed work", cpu_job),
                       ("4. Starting one thread, one child", start_job)):
        print(f"{title} ...", file=sys.stderr)
        sections.append(f"### {title}\n\n{job()}")
    tables = "\n\n".join(sections)
    print(tables)
    readme = os.path.join(here, "README.md")
    text = open(readme).read()
    new = re.sub(r"(<!-- peers:begin -->\n).*(\n<!-- peers:end -->)", lambda m: m.group(1) + tables + m.group(2),
                 text, flags=re.S)
    open(readme, "w").write(new)


if __name__ == "__main__":
    main()
