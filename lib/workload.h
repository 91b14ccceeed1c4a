/*
 * workload: what one task does.
 *
 *   sleep  waits `seconds` without using the CPU. Many such tasks overlap
 *          even on one CPU: concurrency is enough to speed them up.
 *   cpu    computes `units` rounds of a xorshift generator. It needs a CPU
 *          the whole time: only parallelism (more CPUs) speeds it up.
 *
 * Every task returns a checksum, and a run's checksums are combined so that
 * the order the tasks finished in does not matter but a lost or doubled task
 * does. Strategies that computed the same thing report the same number.
 */
#ifndef ATONCE_WORKLOAD_H
#define ATONCE_WORKLOAD_H

#include <stddef.h>
#include <stdint.h>

enum workload_kind { WORKLOAD_SLEEP, WORKLOAD_CPU };

struct workload {
    enum workload_kind kind;
    double seconds; /* sleep: how long each task sleeps; cpu: the target CPU time */
    uint64_t units; /* cpu: rounds of work per task (see workload_calibrate); sleep: 0 */
};

/* "sleep" or "cpu". */
const char *workload_kind_name(enum workload_kind kind);

/* Runs task number `task` (0, 1, ...) and returns its checksum.
 * A sleep task sleeps to an absolute deadline with clock_nanosleep, so a
 * signal that interrupts it neither shortens nor lengthens it. */
uint64_t workload_run_task(const struct workload *w, size_t task);

/* What a strategy may need to do while a task runs, e.g. a global lock:
 * give it up around waiting, and offer it to others between chunks of
 * computing. Any hook may be NULL. */
struct workload_hooks {
    void (*before_wait)(void *context);
    void (*after_wait)(void *context);
    void (*between_chunks)(void *context); /* after every WORKLOAD_CHUNK units, but not the last */
    void *context;
};

#define WORKLOAD_CHUNK 16384 /* units between between_chunks calls: some 10-20 microseconds */

/* workload_run_task with hooks. The checksum is the same as without. */
uint64_t workload_run_task_hooked(const struct workload *w, size_t task, const struct workload_hooks *hooks);

/* Sets w->units so that one cpu task takes about w->seconds of CPU time on
 * this machine, by timing a few short runs in the calling thread. Takes
 * about 0.1 s. Call it once per demo so every strategy does the same work. */
void workload_calibrate(struct workload *w);

/* The checksum of task `task` of a workload that only waits (a sleep, or
 * a child that sleeps): a well-mixed value of the task's number, so that a
 * lost or doubled task changes the combined checksum. */
uint64_t workload_token(size_t task);

/* The combined checksum of a run: start at 0, add each task's checksum.
 * Addition (mod 2^64) is order-independent. */
uint64_t workload_combine(uint64_t combined, uint64_t task_checksum);

#endif
