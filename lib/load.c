#include "load.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Adds up the busy and steal ticks of the "cpuN" lines of /proc/stat for
 * the CPUs in `cpus`. A line reads
 *   cpu3 user nice system idle iowait irq softirq steal guest guest_nice
 * (guest time is already inside user). Returns false when a CPU is missing. */
static bool add_cpu_lines(const char *stat, const struct cpu_list *cpus, double *busy, double *steal)
{
    unsigned long long user, nice, system, idle, iowait, irq, softirq, stolen;
    size_t found = 0;
    *busy = *steal = 0.0;
    for (const char *line = strstr(stat, "\ncpu"); line != NULL; line = strstr(line + 1, "\ncpu")) {
        int cpu;
        if (sscanf(line + 1, "cpu%d %llu %llu %llu %llu %llu %llu %llu %llu", &cpu, &user, &nice, &system,
                   &idle, &iowait, &irq, &softirq, &stolen) != 9 ||
            !cpu_list_contains(cpus, cpu))
            continue;
        *busy += (double)(user + nice + system + irq + softirq);
        *steal += (double)stolen;
        found++;
    }
    return found == cpus->count;
}

/* nr_throttled, and throttled_usec (v2) or throttled_time in ns (v1). */
static void read_throttling(const char *quota_dir, struct load_sample *out)
{
    char path[PATH_MAX], text[1024];
    long long count, time;
    out->throttled_periods = -1;
    out->throttled = -1.0;
    if (quota_dir[0] == '\0' || snprintf(path, sizeof path, "%s/cpu.stat", quota_dir) >= (int)sizeof path ||
        machine_read_file("/", path, text, sizeof text) != 0)
        return;
    const char *periods = strstr(text, "nr_throttled "), *usec = strstr(text, "throttled_usec ");
    const char *nsec = strstr(text, "throttled_time ");
    if (periods == NULL || sscanf(periods, "nr_throttled %lld", &count) != 1)
        return;
    if (usec != NULL && sscanf(usec, "throttled_usec %lld", &time) == 1)
        out->throttled = (double)time / 1e6;
    else if (nsec != NULL && sscanf(nsec, "throttled_time %lld", &time) == 1)
        out->throttled = (double)time / 1e9;
    else
        return;
    out->throttled_periods = (long)count;
}

void load_sample(const char *root, const struct cpu_list *cpus, const char *quota_dir,
                 struct load_sample *out)
{
    size_t size = 1 << 18; /* the cpu lines come first; a long "intr" line may be cut off */
    char *stat = malloc(size);
    double ticks = (double)sysconf(_SC_CLK_TCK);
    memset(out, 0, sizeof *out);
    if (stat != NULL && machine_read_file(root, "/proc/stat", stat, size) == 0 && ticks > 0.0 &&
        add_cpu_lines(stat, cpus, &out->busy, &out->steal)) {
        out->busy /= ticks;
        out->steal /= ticks;
        out->cpus_known = true;
    }
    free(stat);
    read_throttling(quota_dir, out);
}

struct load load_between(const struct load_sample *before, const struct load_sample *after, double own_cpu,
                         long involuntary)
{
    struct load l = {.involuntary = involuntary, .throttled_periods = -1, .throttled = -1.0};
    if (before->cpus_known && after->cpus_known) {
        /* Not cut at 0: ticks are coarse, and a run's tick too few evens out
         * another's tick too many when the runs are added up. */
        l.others_cpu = after->busy - before->busy - own_cpu;
        l.steal = after->steal - before->steal;
        l.cpus_known = true;
    }
    if (before->throttled_periods >= 0 && after->throttled_periods >= 0) {
        l.throttled_periods = after->throttled_periods - before->throttled_periods;
        l.throttled = after->throttled - before->throttled;
    }
    return l;
}

struct load load_add(struct load a, struct load b)
{
    bool throttling = a.throttled_periods >= 0 && b.throttled_periods >= 0;
    return (struct load){
        .others_cpu = a.others_cpu + b.others_cpu,
        .steal = a.steal + b.steal,
        .involuntary = a.involuntary + b.involuntary,
        .throttled_periods = throttling ? a.throttled_periods + b.throttled_periods : -1,
        .throttled = throttling ? a.throttled + b.throttled : -1.0,
        .cpus_known = a.cpus_known && b.cpus_known,
    };
}
