#!/usr/bin/env python3
"""Under two CPU hogs per CPU, every row that shows what the machine cannot
do (an efficiency over 105 %, or computing on one CPU faster than 1.05x)
carries a flag in --json that says why (others, steal, throttled, noise),
and the busy machine is seen at all. Usage: load_flags.py BUILD_DEMOS_DIR"""
import json
import os
import subprocess
import sys

demos = sys.argv[1]
hogs = [subprocess.Popen(["yes"], stdout=subprocess.DEVNULL) for _ in range(2 * os.cpu_count())]
failures, rows, flagged = [], 0, 0
try:
    for demo in ["cpu", "versus", "sleep"]:
        for attempt in range(2):
            out = subprocess.run([os.path.join(demos, demo), "--quick", "--json"], capture_output=True,
                                 text=True, timeout=120, check=True).stdout
            report = json.loads(out)
            for r in report["results"]:
                kind = r.get("workload", report.get("workload", {}).get("kind"))
                cpus = r.get("cpus_allowed", report["machine"]["cpus_allowed"])
                eff, speedup = r["efficiency"], r["speedup"]
                rows += 1
                flagged += bool(r["flags"])
                pinned_cpu = kind == "cpu" and len(cpus) == 1 and r["strategy"] != "sequential"
                impossible = (eff is not None and eff > 1.05) or (pinned_cpu and speedup > 1.05)
                if impossible and not r["flags"]:
                    failures.append(f"{demo}: {r['strategy']} ({kind}, CPUs {cpus}) at {speedup:.2f}x, "
                                    f"efficiency {eff:.0%}, carries no flag")
finally:
    for h in hogs:
        h.kill()
        h.wait()
print(f"{rows} rows, {flagged} flagged")
if flagged == 0:
    failures.append("no row was flagged, with two CPU hogs per CPU running")
for f in failures:
    print("FAIL:", f)
sys.exit(1 if failures else 0)
