/*
 * machine: what this computer offers a run. How many CPUs are online, which
 * of them this process may use (its affinity, which threads and forked
 * children inherit), and the kernel release, for the report's header.
 * Pinning a run to fewer CPUs is how the demos take parallelism away while
 * leaving concurrency in place.
 */
#ifndef ATONCE_MACHINE_H
#define ATONCE_MACHINE_H

#include <stddef.h>

#define CPU_LIST_MAX 1024 /* as many CPUs as a cpu_set_t can name */

/* A set of CPU numbers, in increasing order. */
struct cpu_list {
    size_t count;
    int ids[CPU_LIST_MAX];
};

struct machine {
    int cpus_online;
    struct cpu_list allowed; /* the CPUs this process may run on now */
    char kernel[65];         /* uname's release, e.g. "6.1.0-18-amd64" */
};

/* Fills `m`. Returns 0 or -errno. */
int machine_read(struct machine *m);

/* The CPUs this process may run on now (sched_getaffinity). Returns 0 or -errno. */
int machine_allowed_cpus(struct cpu_list *out);

/* Restricts this process (and the threads and children it creates from
 * now on) to `cpus` (sched_setaffinity). Returns 0 or -errno. */
int machine_pin(const struct cpu_list *cpus);

/* Writes "0-3", "0,2" or "1" into buf. */
void cpu_list_format(const struct cpu_list *cpus, char *buf, size_t size);

/* Does `cpus` hold `id`? */
int cpu_list_contains(const struct cpu_list *cpus, int id);

#endif
