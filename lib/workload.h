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

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct workload;
struct workload_hooks;

/* A kind of task: everything the harness knows about it, in one place.
 * Nothing outside workload.c asks which kind a workload is: it asks its
 * kind. To add a kind: write its functions, define its struct, list it in
 * workload_kinds[] (workload.c), and tests/test_workload.c runs it under
 * every strategy. */
struct workload_kind {
    const char *name; /* "sleep", "cpu": in tables, legends and JSON */
    /* What a strategy must overlap to speed it up: computing (true: the
     * task needs a CPU the whole time, only more CPUs help) or waiting
     * (false: tasks overlap even on one CPU). A task that does not compute
     * waits w->seconds and returns workload_token(task): the event loop
     * runs it as a timer. */
    bool computes;
    /* Tasks that run at once slow each other by design (one shared counter,
     * one shared cache line): their CPU time then says nothing about the
     * CPU's clock, and the harness does not set such runs aside for it. */
    bool tasks_contend;
    /* What `ntasks` tasks do, for a table's title, in the output's
     * language: "10 tasks, each sleeps 1 s". */
    void (*describe)(const struct workload *w, size_t ntasks, char *buf, size_t size);
    /* Runs task number `task` (0, 1, ...) and returns its checksum.
     * `hooks` is never NULL (workload_run_task passes empty ones). */
    uint64_t (*run)(const struct workload *w, size_t task, const struct workload_hooks *hooks);
    /* Sets the work per task so that one task takes about w->seconds on
     * this machine, or NULL: nothing to calibrate (a sleep is its seconds). */
    void (*calibrate)(struct workload *w);
    /* State all the tasks of one run share, made before the run and
     * released after it, in memory that forked children share too: w->shared.
     * NULL when the tasks share nothing. setup returns 0 or -errno with
     * *failed_call naming the call. */
    int (*setup)(struct workload *w, size_t ntasks, const char **failed_call);
    void (*teardown)(struct workload *w);
    /* What a run left in that shared state, read after its tasks finished
     * and before teardown, and what it should be for `ntasks` tasks (a
     * counter's count against tasks x units). NULL for a kind whose tasks'
     * checksums say it all. */
    uint64_t (*result)(const struct workload *w, size_t ntasks);
    uint64_t (*expected)(const struct workload *w, size_t ntasks);
};

extern const struct workload_kind workload_sleep; /* waits `seconds` without using the CPU */
extern const struct workload_kind workload_cpu;   /* computes `units` rounds of xorshift */

/* Every kind, NULL-terminated. */
extern const struct workload_kind *const workload_kinds[];

struct workload {
    const struct workload_kind *kind;
    double seconds; /* sleep: how long each task sleeps; cpu: the target CPU time */
    uint64_t units; /* cpu: rounds of work per task (see workload_calibrate); sleep: 0 */
    void *shared;   /* what kind->setup made for one run, or NULL */
};

/* Does this workload need a CPU the whole time (w->kind->computes)? */
bool workload_computes(const struct workload *w);

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

/* Sets the work per task from w->seconds (kind->calibrate; for cpu:
 * w->units, so that one task takes about w->seconds of CPU time, by timing
 * a few short runs in the calling thread, about 0.1 s). Call it once per
 * demo so every strategy does the same work. */
void workload_calibrate(struct workload *w);

/* Makes and releases the state shared by the tasks of one run (kind->setup
 * and teardown; nothing for a kind without). The harness calls them around
 * every run. setup returns 0 or -errno with *failed_call set. */
int workload_setup(struct workload *w, size_t ntasks, const char **failed_call);
void workload_teardown(struct workload *w);

/* The checksum of task `task` of a workload that only waits (a sleep, or
 * a child that sleeps): a well-mixed value of the task's number, so that a
 * lost or doubled task changes the combined checksum. */
uint64_t workload_token(size_t task);

/* The combined checksum of a run: start at 0, add each task's checksum.
 * Addition (mod 2^64) is order-independent. */
uint64_t workload_combine(uint64_t combined, uint64_t task_checksum);

#endif
