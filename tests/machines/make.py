#!/usr/bin/env python3
"""Writes the fixture machines in this folder: the few kernel files that
lib/machine and lib/load read, as each machine has them. The trees are
checked in; run this again (python3 tests/machines/make.py) after changing
it. tests/test_machine.c asserts what lib makes of each one."""
import os
import shutil

HERE = os.path.dirname(os.path.abspath(__file__))

V1_MOUNTS = """31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755
32 31 0:29 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu
33 31 0:30 / /sys/fs/cgroup/cpuacct rw,relatime - cgroup cgroup rw,cpuacct
34 31 0:31 / /sys/fs/cgroup/cpuset rw,relatime - cgroup cgroup rw,cpuset
41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw
"""
V2_MOUNTS = """22 1 8:2 / / rw,relatime shared:1 - ext4 /dev/nvme0n1p2 rw,errors=remount-ro
26 22 0:23 / /sys rw,nosuid,nodev,noexec,relatime shared:7 - sysfs sysfs rw
29 26 0:26 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:9 - cgroup2 cgroup2 rw,nsdelegate
"""


def write(root, path, text):
    full = os.path.join(root, path.lstrip("/"))
    os.makedirs(os.path.dirname(full), exist_ok=True)
    with open(full, "w") as f:
        f.write(text if text.endswith("\n") else text + "\n")


def cpu_list(ids):
    """[0, 1, 2, 5] -> "0-2,5", as the kernel writes it."""
    out, i = [], 0
    while i < len(ids):
        j = i
        while j + 1 < len(ids) and ids[j + 1] == ids[j] + 1:
            j += 1
        out.append(str(ids[i]) if i == j else f"{ids[i]}-{ids[j]}")
        i = j + 1
    return ",".join(out)


def machine(name, topology, model, kernel, mounts, self_cgroup, cgroup_files=None, extra=None):
    """topology: one (package, core_id) per CPU, CPU numbers 0, 1, ..."""
    root = os.path.join(HERE, name)
    shutil.rmtree(root, ignore_errors=True)
    cpus = list(range(len(topology)))
    write(root, "/sys/devices/system/cpu/online", cpu_list(cpus))
    for cpu, (package, core) in enumerate(topology):
        siblings = [c for c, t in enumerate(topology) if t == (package, core)]
        base = f"/sys/devices/system/cpu/cpu{cpu}/topology/"
        write(root, base + "physical_package_id", str(package))
        write(root, base + "core_id", str(core))
        write(root, base + "thread_siblings_list", cpu_list(siblings))
    if model is not None:
        write(root, "/proc/cpuinfo", "".join(
            f"processor\t: {cpu}\nvendor_id\t: GenuineIntel\nmodel name\t: {model}\n\n" for cpu in cpus))
    if kernel is not None:
        write(root, "/proc/sys/kernel/osrelease", kernel)
    if mounts is not None:
        write(root, "/proc/self/mountinfo", mounts)
    if self_cgroup is not None:
        write(root, "/proc/self/cgroup", self_cgroup)
    for path, text in (cgroup_files or {}).items():
        write(root, path, text)
    for path, text in (extra or {}).items():
        write(root, path, text)
    return root


def proc_stat(lines):
    """lines: per CPU (user, system, idle, steal) in ticks."""
    total = [sum(x) for x in zip(*lines)]
    row = lambda name, t: f"{name} {t[0]} 0 {t[1]} {t[2]} 0 0 0 {t[3]} 0 0"
    return "\n".join([row("cpu ", total)] + [row(f"cpu{i}", t) for i, t in enumerate(lines)]) + \
        "\nintr 0\nctxt 1000\nbtime 1700000000\n"


# This 2-vCPU VM: two cores, no hyper-threads, cgroup v1 with no quota, no cpufreq.
machine("vm-2cpu", [(0, 0), (0, 1)], "Intel(R) Xeon(R) Processor", "6.18.44-fc-v857",
        V1_MOUNTS, "4:cpuset:/\n3:cpuacct:/\n2:cpu:/\n0::/\n",
        {"/sys/fs/cgroup/cpu/cpu.cfs_quota_us": "-1", "/sys/fs/cgroup/cpu/cpu.cfs_period_us": "100000"},
        {"/proc/stat": proc_stat([(333, 335, 5174, 100), (802, 504, 4248, 98)])})

# A student laptop: 8 cores x 2 hyper-threads, Intel numbering (CPU n and n+8 share core n),
# cgroup v2 with no quota on the session, turbo on.
machine("laptop-8c16t", [(0, c % 8) for c in range(16)], "Intel(R) Core(TM) i7-10875H CPU @ 2.30GHz",
        "6.8.0-45-generic", V2_MOUNTS, "0::/user.slice/user-1000.slice/session-2.scope\n",
        {"/sys/fs/cgroup/user.slice/user-1000.slice/session-2.scope/cpu.max": "max 100000",
         "/sys/fs/cgroup/user.slice/user-1000.slice/cpu.max": "max 100000",
         "/sys/fs/cgroup/user.slice/cpu.max": "max 100000"},
        {"/sys/devices/system/cpu/intel_pstate/no_turbo": "0"})

# A hybrid laptop: 6 performance cores x 2 threads (CPUs 0-11) and 8 efficiency cores (12-19).
hybrid = [(0, c // 2 * 4) for c in range(12)] + [(0, 48 + c) for c in range(8)]
machine("hybrid-6p8e", hybrid, "12th Gen Intel(R) Core(TM) i7-12700H", "6.5.0-21-generic",
        V2_MOUNTS, "0::/user.slice/user-1000.slice/user@1000.service/app.slice/term.scope\n", {},
        {"/sys/devices/cpu_core/cpus": "0-11", "/sys/devices/cpu_atom/cpus": "12-19",
         "/sys/devices/system/cpu/intel_pstate/no_turbo": "1"})

# A server: 2 packages x 16 cores x 2 threads. AMD numbering: CPUs 0-15 and 32-47 on package 0,
# core_id restarting at 0 on package 1; cgroup v2, in the root cgroup; boost on.
server = [(cpu // 16 % 2, cpu % 16) for cpu in range(64)]
machine("server-2x16c32t", server, "AMD EPYC 7302 16-Core Processor", "6.1.0-18-amd64",
        V2_MOUNTS, "0::/\n", {}, {"/sys/devices/system/cpu/cpufreq/boost": "1"})

# One CPU, cgroup v1, no quota.
machine("one-cpu", [(0, 0)], "Intel(R) Celeron(R) N4020 CPU @ 1.10GHz", "5.10.0-28-amd64",
        V1_MOUNTS, "2:cpu:/user.slice\n0::/user.slice\n",
        {"/sys/fs/cgroup/cpu/user.slice/cpu.cfs_quota_us": "-1",
         "/sys/fs/cgroup/cpu/user.slice/cpu.cfs_period_us": "100000",
         "/sys/fs/cgroup/cpu/cpu.cfs_quota_us": "-1", "/sys/fs/cgroup/cpu/cpu.cfs_period_us": "100000"})

# A container under cgroup v2: 4 CPUs, the pod limited to 1.5 CPUs (cpu.max 150000 100000)
# on the parent, the container itself unlimited: the parent's quota binds.
pod = "/sys/fs/cgroup/kubepods.slice/kubepods-pod12.slice"
machine("quota-v2", [(0, c) for c in range(4)], "AMD EPYC 7B13 64-Core Processor", "6.1.0-18-cloud-amd64",
        V2_MOUNTS, "0::/kubepods.slice/kubepods-pod12.slice/cri-containerd-ab12.scope\n",
        {pod + "/cpu.max": "150000 100000",
         pod + "/cpu.stat": "usage_usec 900000\nuser_usec 850000\nsystem_usec 50000\n"
                            "nr_periods 40\nnr_throttled 12\nthrottled_usec 310000\n",
         pod + "/cri-containerd-ab12.scope/cpu.max": "max 100000",
         "/sys/fs/cgroup/kubepods.slice/cpu.max": "max 100000"})

# An older Docker under cgroup v1: 2 CPUs, `docker run --cpus 1` (quota 100000 per 100000),
# the cpu,cpuacct hierarchy mounted from the container's own cgroup.
machine("quota-v1", [(0, 0), (0, 1)], "Intel(R) Xeon(R) CPU E5-2680 v4 @ 2.40GHz", "4.19.0-26-amd64",
        "600 590 0:52 /docker/ab12 /sys/fs/cgroup/cpu,cpuacct ro,nosuid - cgroup cgroup rw,cpu,cpuacct\n"
        "601 590 0:53 /docker/ab12 /sys/fs/cgroup/memory ro,nosuid - cgroup cgroup rw,memory\n",
        "5:memory:/docker/ab12\n4:cpu,cpuacct:/docker/ab12\n",
        {"/sys/fs/cgroup/cpu,cpuacct/cpu.cfs_quota_us": "100000",
         "/sys/fs/cgroup/cpu,cpuacct/cpu.cfs_period_us": "100000",
         "/sys/fs/cgroup/cpu,cpuacct/cpu.stat": "nr_periods 30\nnr_throttled 25\nthrottled_time 1200000000\n"})

# What cannot be read: no kernel release, no cpuinfo, no cgroup files, one CPU's topology missing.
broken = machine("unreadable", [(0, c) for c in range(4)], None, None, None, None)
shutil.rmtree(os.path.join(broken, "sys/devices/system/cpu/cpu2/topology"))
