#!/usr/bin/env python3
"""cpu --quick --json inside a cgroup of its own limited to one CPU's worth
(quota 100000 per period 100000, as `docker run --cpus 1`): the quota is
reported, the ideal speedup is 1x, and the verdict names the quota, not
other programs. Needs root and a writable cgroup (v1 or v2); otherwise it
skips (exit 77) and says why. Usage: quota.py PATH_TO_CPU"""
import json
import os
import subprocess
import sys

cpu_demo = sys.argv[1]


def skip(why):
    print(f"SKIP: {why}")
    sys.exit(77)


def make_cgroup():
    """A new cgroup with a 1-CPU quota; returns (its directory, version)."""
    name = f"atonce-quota-{os.getpid()}"
    v1 = "/sys/fs/cgroup/cpu"
    if os.path.exists(os.path.join(v1, "cpu.cfs_quota_us")):
        path = os.path.join(v1, name)
        os.mkdir(path)
        with open(os.path.join(path, "cpu.cfs_period_us"), "w") as f:
            f.write("100000")
        with open(os.path.join(path, "cpu.cfs_quota_us"), "w") as f:
            f.write("100000")
        return path, 1
    v2 = "/sys/fs/cgroup"
    if os.path.exists(os.path.join(v2, "cgroup.subtree_control")):
        with open(os.path.join(v2, "cgroup.subtree_control"), "w") as f:
            f.write("+cpu")  # let children of the root have cpu.max
        path = os.path.join(v2, name)
        os.mkdir(path)
        with open(os.path.join(path, "cpu.max"), "w") as f:
            f.write("100000 100000")
        return path, 2
    skip("no cgroup cpu controller is mounted")


if os.geteuid() != 0:
    skip("making a cgroup needs root")
try:
    path, version = make_cgroup()
except OSError as e:
    skip(f"cannot make a cgroup here: {e}")

def join_cgroup():
    with open(os.path.join(path, "cgroup.procs"), "w") as f:
        f.write(str(os.getpid()))

try:
    run = subprocess.run([cpu_demo, "--quick", "--json"], capture_output=True, text=True, timeout=120,
                         preexec_fn=join_cgroup)
finally:
    try:
        os.rmdir(path)
    except OSError:
        pass
print(run.stdout)
failures = []
if run.returncode != 0:
    failures.append(f"exit status {run.returncode}: {run.stderr}")
else:
    report = json.loads(run.stdout)
    if report["machine"]["cpu_quota"] != 1.0 or report["machine"]["cgroup_version"] != version:
        failures.append(f"quota not reported: {report['machine']}")
    for r in report["results"]:
        if r["strategy"] != "sequential" and r["ideal_speedup"] != 1.0:
            failures.append(f"{r['strategy']}: ideal {r['ideal_speedup']}x, not 1x")
    verdict = report["verdicts"][0]
    if "CPU quota" not in verdict or "other programs" in verdict:
        failures.append(f"the verdict does not name the quota: {verdict}")
for f in failures:
    print("FAIL:", f)
sys.exit(1 if failures else 0)
