#!/usr/bin/env python3
"""Issue 6's benchmarks, side by side in one run: OpenMP and MPI on this machine.

Usage: bench/beyond.py BUILD_DIR     (or: meson test -C build --benchmark)

1. cpu, one task per CPU: openmp speedup >= 1.92x, in the same run as threads.
2. mpirun -np 2 mpi_cpu: speedup of 2 ranks >= 1.85x (wall time by MPI_Wtime).
Medians with min-max over 5 runs after 1 warm-up. Exits 1 if a target is missed.
Open MPI refuses root unless told it may: as root, this sets
OMPI_ALLOW_RUN_AS_ROOT for mpirun (root is a given where benchmarks run as root).
"""
import json
import os
import platform
import shutil
import subprocess
import sys

build = sys.argv[1] if len(sys.argv) > 1 else "build"
missed = 0


def verdict(ok):
    global missed
    missed += not ok
    return "met" if ok else "MISSED"


def run_json(cmd, env=None):
    out = subprocess.run(cmd, check=True, capture_output=True, text=True, env=env).stdout
    return json.loads(out)


def row(r):
    return (f"wall {r['wall_s']:.4f} s ({r['wall_min_s']:.4f}-{r['wall_max_s']:.4f})  "
            f"speedup {r['speedup']:.3f}x")


print(f"machine: {os.cpu_count()} CPUs, Linux {platform.release()}")

cpu = os.path.join(build, "demos", "cpu")
cmd = [cpu, "--runs", "5", "--strategies", "sequential,threads,openmp", "--json"]
print("\n1. $ build/demos/cpu " + " ".join(cmd[1:]))
try:
    doc = run_json(cmd)
except subprocess.CalledProcessError as e:
    print("   cpu has no openmp strategy in this build (-Dopenmp=disabled?):", e.stderr.strip())
    sys.exit(1)
by = {r["strategy"]: r for r in doc["results"]}
for name in ("sequential", "threads", "openmp"):
    print(f"   {name:<11} {row(by[name])}")
print(f"   openmp {by['openmp']['speedup']:.3f}x >= 1.92x: {verdict(by['openmp']['speedup'] >= 1.92)} "
      f"(threads {by['threads']['speedup']:.3f}x in the same run)")

mpi_cpu = os.path.join(build, "demos", "mpi_cpu")
mpirun = shutil.which("mpirun")
if not os.path.exists(mpi_cpu) or mpirun is None:
    print("\n2. mpi_cpu is not built, or mpirun is missing: MISSED")
    sys.exit(1)
env = dict(os.environ)
if os.geteuid() == 0:
    env.update(OMPI_ALLOW_RUN_AS_ROOT="1", OMPI_ALLOW_RUN_AS_ROOT_CONFIRM="1")
cmd = [mpirun, "-np", "2", mpi_cpu, "--runs", "5", "--json"]
print("\n2. $ mpirun -np 2 build/demos/mpi_cpu --runs 5 --json")
doc = run_json(cmd, env)
for r in doc["results"]:
    print(f"   {r['strategy']:<11} ranks {r['ranks']}  {row(r)}  checksum_ok {r['checksum_ok']}")
mpi = [r for r in doc["results"] if r["strategy"] == "mpi"][0]
print(f"   mpi, 2 ranks: {mpi['speedup']:.3f}x >= 1.85x: {verdict(mpi['speedup'] >= 1.85)}")

print(f"\n{'all targets met' if missed == 0 else f'{missed} target(s) missed'}")
sys.exit(1 if missed else 0)
