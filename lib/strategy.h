/*
 * strategy: how N tasks run. Each strategy is a name, a line that explains
 * it, and one function that runs the tasks and records, per task, when it
 * started and ended (on the shared monotonic clock) and its checksum.
 *
 *   sequential  one task after another, in this thread
 *   threads     one pthread per task, all started, then all joined
 *   threads+gil the same threads, but each must hold one global lock to
 *               compute, as in CPython (see gil.h)
 *   event_loop  one thread, one timer per task, no threads or children
 *               (event_loop.c): waits overlap, computing runs in turn
 *   openmp      #pragma omp parallel for over the tasks (openmp.c; only
 *               when built with OpenMP: ATONCE_HAVE_OPENMP)
 *   processes   one fork()ed child per task, all started, then all reaped;
 *               each child writes its span and checksum into memory shared
 *               before the fork (one slot per task, so none can overwrite
 *               another)
 *   pool        context->workers threads sharing the tasks: each takes the
 *               next one when free (pool.c)
 *
 * A strategy prints nothing and never exits; on failure it returns -errno
 * and names the call that failed (or, when no errno says what happened,
 * -STRATEGY_SAID_IN_FULL with the whole reason). Timing the whole run (wall and CPU) is
 * the harness's job, so a strategy holds only what differs.
 * To add a strategy: write its run function, define its struct, and list it
 * in strategy_all[] in strategy.c.
 */
#ifndef ATONCE_STRATEGY_H
#define ATONCE_STRATEGY_H

#include "stopwatch.h"
#include "workload.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct task_record {
    struct span span;  /* when the task ran, on CLOCK_MONOTONIC */
    uint64_t checksum; /* what workload_run_task returned */
};

/* How a strategy hands its tasks to its workers, which decides how many
 * run at once and so the best speedup it can show. */
enum strategy_workers {
    STRATEGY_WORKER_PER_TASK,   /* a thread or process per task (sequential, event_loop: one in all) */
    STRATEGY_WORKERS_TAKE_NEXT, /* context->workers workers, each taking the next task when free (pool) */
    STRATEGY_WORKERS_FIXED, /* context->workers workers, the tasks dealt out in fixed shares (MPI ranks) */
};

/* What a run needs besides its tasks, set by the demo (options, then the
 * harness plan) and handed to every run: no setting travels through a
 * file global. Zero is the default for each field. */
struct strategy_context {
    /* How many workers a strategy of shared workers (enum strategy_workers)
     * has: the pool's threads, an OpenMP team, MPI ranks. 0: one per CPU. */
    size_t workers;
    /* threads+gil: seconds a waiting thread lets the holder compute before
     * asking for the lock (sys.setswitchinterval); 0: GIL_DEFAULT_INTERVAL. */
    double switch_interval;
    /* Work only one thread can do, before the tasks start (scaling's
     * serial fraction, Amdahl's s), or NULL. */
    const struct workload *serial_part;
};

struct strategy {
    const char *name;     /* "sequential", "threads", "processes", ... */
    const char *explains; /* one line for the legend */
    /* What the strategy can overlap, which sets the ideal speedup the
     * table compares against: */
    bool overlaps_waiting;     /* can tasks wait (sleep) at the same time? */
    bool computes_in_parallel; /* can tasks compute on several CPUs at once? */
    /* A worker per task, or context->workers of them taking the next task
     * when free (only that many run at once), or dealt fixed shares (the
     * worker with the most tasks sets the pace: 3 tasks on 2 workers can
     * go at most 1.5x). */
    enum strategy_workers workers;
    /* About what starting and finishing one worker costs, seconds, as
     * spawn_cost measures it on a small machine (a thread about 30 us, a
     * forked process about 200 us, a program about 500 us); 0 when the
     * workers exist already. Tasks not much longer than this, times the
     * tasks, cannot gain: the verdict says so. */
    double start_cost;
    /* Runs tasks 0..ntasks-1 of `w`, filling records[0..ntasks-1], with
     * the settings in `context` (never NULL).
     * Returns 0, or -errno with *failed_call naming the call that failed
     * ("fork", "pthread_create", ...), or -STRATEGY_SAID_IN_FULL with
     * *failed_call the whole reason. Every thread or child it started has
     * been joined or reaped by the time it returns, on success or failure. */
    int (*run)(const struct strategy_context *context, const struct workload *w, size_t ntasks,
               struct task_record *records, const char **failed_call);
};

/* The workers a strategy of shared workers uses under `context`: its
 * `workers`, or one per CPU this process may use when that is 0. */
size_t strategy_worker_count(const struct strategy_context *context);

/* Does the one-thread part that `context` asks for (serial_part), if any. */
void strategy_run_serial_part(const struct strategy_context *context);

/* A failure no errno describes: a task's child that exited with 3 or was
 * killed by a signal (ECHILD's text, "No child processes", would mislead),
 * or one lib/child has already put into words. A run returns
 * -STRATEGY_SAID_IN_FULL and *failed_call holds the whole reason:
 * "child 3 (pid 4121): killed by SIGKILL". Above every errno value. */
#define STRATEGY_SAID_IN_FULL 4096

/* Why a run failed, for "<demo>: <why>": "<failed_call>: <errno text>",
 * or failed_call alone after -STRATEGY_SAID_IN_FULL. Into buf. */
void strategy_failure_format(const char *failed_call, int err, char *buf, size_t size);

extern const struct strategy strategy_sequential;
extern const struct strategy strategy_threads;
extern const struct strategy strategy_threads_gil; /* threads that share one global lock (gil.h) */
extern const struct strategy strategy_processes;
extern const struct strategy strategy_event_loop; /* one thread, one timer per task (event_loop.c) */
extern const struct strategy strategy_pool;       /* workers that take the next task when free (pool.c) */
#ifdef ATONCE_HAVE_OPENMP
extern const struct strategy strategy_openmp; /* #pragma omp parallel for (openmp.c) */
#define STRATEGY_OPENMP_IF_BUILT ",openmp"    /* for a demo's default strategies */
#else
#define STRATEGY_OPENMP_IF_BUILT ""
#endif

/* Runs one task and records its span and checksum: what every strategy
 * does for each task, in whichever thread or process it chose. */
void strategy_run_task(const struct workload *w, size_t task, struct task_record *record);

/* Every strategy, NULL-terminated, in the order tables list them. */
extern const struct strategy *const strategy_all[];

/* The strategy called `name`, or NULL. */
const struct strategy *strategy_find(const char *name);

#endif
