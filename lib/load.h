/*
 * load: what else took the CPUs while a run was measured. A speedup is
 * only the lesson's when the run had its CPUs to itself, so around every
 * timed run the harness reads:
 *
 *   - the CPU time the run's CPUs spent busy, for anyone (/proc/stat, per
 *     CPU); minus the run's own CPU time, that is what other programs took;
 *   - steal: time the hypervisor gave those CPUs to other virtual machines;
 *   - the run's involuntary context switches (getrusage: the kernel took a
 *     CPU away from a task that still wanted it);
 *   - throttling: how often, and how long, the cgroup's CPU quota stopped
 *     the process group (cpu.stat), which is the quota and not other programs.
 *
 * /proc/stat counts in ticks (USER_HZ, 100 a second): the figures are good
 * to a tick or two per CPU, so the harness adds them up over all runs.
 * Everything is read below a root directory, like machine, so tests can
 * hand it fixture files.
 */
#ifndef ATONCE_LOAD_H
#define ATONCE_LOAD_H

#include "machine.h"

#include <stdbool.h>

/* Counters at one moment. */
struct load_sample {
    double busy;            /* seconds the CPUs ran anything (user, nice, system, irq, softirq) */
    double steal;           /* seconds the hypervisor ran something else on them */
    bool cpus_known;        /* /proc/stat could be read for every CPU */
    long throttled_periods; /* periods in which the quota stopped the group; -1 unknown */
    double throttled;       /* seconds it was stopped; < 0 unknown */
};

/* What the surroundings did during one or more runs. */
struct load {
    double others_cpu;      /* CPU seconds other programs took on the run's CPUs (a tick below 0 is noise) */
    double steal;           /* seconds of steal on the run's CPUs */
    long involuntary;       /* the run's involuntary context switches */
    long throttled_periods; /* quota periods in which the group was stopped; -1 unknown */
    double throttled;       /* seconds stopped by the quota; < 0 unknown */
    bool cpus_known;        /* others_cpu and steal were measured */
};

/* Reads the counters for `cpus` below `root`, and the quota's cpu.stat in
 * `quota_dir` (a full path, or "" for no quota). Never fails: what cannot
 * be read is marked unknown. */
void load_sample(const char *root, const struct cpu_list *cpus, const char *quota_dir,
                 struct load_sample *out);

/* The load between two samples, given the CPU time the run itself used
 * (own_cpu) and its involuntary switches. */
struct load load_between(const struct load_sample *before, const struct load_sample *after, double own_cpu,
                         long involuntary);

/* a + b, for adding up runs. Unknown stays unknown. */
struct load load_add(struct load a, struct load b);

#endif
