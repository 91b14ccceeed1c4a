/*
 * machine: what this computer offers a run, read from the kernel's own
 * files. How many CPUs are online and how they are built (physical cores,
 * packages, hyper-threads sharing a core, performance and efficiency cores
 * on a hybrid laptop), which of them this process may use (its affinity,
 * which threads and forked children inherit), the CPU quota of its cgroup
 * (a container's `--cpus 1`), whether the CPUs may boost their clock, the
 * CPU model and the kernel release.
 *
 * Every file is read below one root directory ("/" for this machine), so a
 * test can describe any machine as a fixture tree (tests/machines/). What
 * cannot be read stays unknown, never guessed: see each field.
 *
 * Pinning a run to fewer CPUs is how the demos take parallelism away while
 * leaving concurrency in place.
 */
#ifndef ATONCE_MACHINE_H
#define ATONCE_MACHINE_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>

#define CPU_LIST_MAX 1024 /* as many CPUs as a cpu_set_t can name */

/* A set of CPU numbers, in increasing order. */
struct cpu_list {
    size_t count;
    int ids[CPU_LIST_MAX];
};

#define MACHINE_UNKNOWN (-1) /* a count, flag or core that could not be read */
#define QUOTA_NONE      0.0  /* machine.quota when no cgroup limits the CPU time */

struct machine {
    int cpus_online;         /* MACHINE_UNKNOWN if sys/devices/system/cpu/online is unreadable */
    struct cpu_list allowed; /* the CPUs this process may run on now */
    char kernel[65];         /* e.g. "6.1.0-18-amd64"; "" when unknown */
    char model[96];          /* e.g. "Intel(R) Core(TM) i7-1165G7 @ 2.80GHz"; "" when unknown */

    /* Topology of the online CPUs (sysfs topology/). MACHINE_UNKNOWN where a
     * CPU's core_id or physical_package_id could not be read. */
    int cores;            /* physical cores */
    int packages;         /* sockets */
    int threads_per_core; /* the most CPUs that share one core: 2 with hyper-threads */
    int smt;              /* 1: some core runs two or more CPUs; 0: none does */
    /* Hybrid CPUs (performance and efficiency cores), from
     * sys/devices/cpu_core/cpus and cpu_atom/cpus; both empty on other machines. */
    struct cpu_list performance, efficiency;
    int core_of[CPU_LIST_MAX]; /* each online CPU's core, numbered 0.. across packages; MACHINE_UNKNOWN */

    /* The cgroup CPU quota, in CPUs' worth (quota / period): 1.5 lets the
     * process group use one and a half CPUs' time, however many it may run
     * on. QUOTA_NONE when no cgroup sets one, MACHINE_UNKNOWN when it could
     * not be read. The lowest along the path from the process's cgroup up to
     * the root counts, since a parent's limit binds its children. */
    double quota;
    int cgroup_version;       /* 1 or 2; 0 when no cgroup CPU controller was found */
    char quota_dir[PATH_MAX]; /* the cgroup directory whose quota binds (its cpu.stat counts the
                                 throttling), with the root in front; "" without a quota */

    int boost; /* 1: the clock may rise above its base when few CPUs are busy; 0: off; MACHINE_UNKNOWN */
};

/* Fills `m` for this process: its affinity, and the files below "/".
 * Returns 0 or -errno (only when sched_getaffinity fails: anything else
 * that cannot be read is left unknown). */
int machine_read(struct machine *m);

/* The same from the files below `root` (e.g. a fixture tree), with
 * `allowed` as the process's CPUs, or all online CPUs when NULL. Never
 * fails: what cannot be read is left unknown. */
void machine_read_at(const char *root, const struct cpu_list *allowed, struct machine *m);

/* How many physical cores the CPUs in `cpus` belong to, or MACHINE_UNKNOWN. */
int machine_count_cores(const struct machine *m, const struct cpu_list *cpus);

/* The most tasks that can compute at the same instant on `cpus`: their
 * count, or the quota when it is lower (a quota of 1.5 gives 1.5).
 * Hyper-threads are counted as CPUs: that they share a core is explained
 * by the verdict, not hidden here. */
double machine_parallel_capacity(const struct machine *m, const struct cpu_list *cpus);

/* The same rule for `cpus` CPUs under `quota` (QUOTA_NONE or unknown: no limit). */
double machine_capacity(size_t cpus, double quota);

/* A quota as people read it: "1.0", "1.5", "0.25". */
void machine_quota_text(double quota, char *buf, size_t size);

/* The machine in one or two lines for the report's header, each at most
 * `width` columns, e.g.
 *   machine: 16 CPUs (8 cores x 2 threads), this run may use 16, CPU quota 4.0,
 *   Linux 6.8.0, Intel(R) Core(TM) i7-10875H CPU @ 2.30GHz, boost on
 * Writes the text, lines ended by '\n', into buf. */
void machine_describe(const struct machine *m, size_t width, char *buf, size_t size);

/* Reads the file `path` (absolute, e.g. "/proc/stat") below `root` into
 * buf, as much as fits, without its trailing newline. Returns 0 or -errno. */
int machine_read_file(const char *root, const char *path, char *buf, size_t size);

/* The CPUs this process may run on now (sched_getaffinity). Returns 0 or -errno. */
int machine_allowed_cpus(struct cpu_list *out);

/* Restricts this process (and the threads and children it creates from
 * now on) to `cpus` (sched_setaffinity). Returns 0 or -errno. */
int machine_pin(const struct cpu_list *cpus);

/* Reads a kernel CPU list such as "0-3,8-11" or "0,2" (a trailing newline
 * is fine). Returns 0, or -EINVAL for anything else. */
int cpu_list_parse(const char *text, struct cpu_list *out);

/* Writes "0-3", "0,2" or "1" into buf. */
void cpu_list_format(const struct cpu_list *cpus, char *buf, size_t size);

/* The same, for a line people read: at most `width` characters, a long
 * list cut after a comma and ended with "...", e.g. "0,2,4,6,..." (just
 * "..." when `width` is under 3). */
void cpu_list_format_brief(const struct cpu_list *cpus, size_t width, char *buf, size_t size);

/* Does `cpus` hold `id`? */
int cpu_list_contains(const struct cpu_list *cpus, int id);

#endif
