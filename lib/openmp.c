/*
 * The openmp strategy: one `#pragma omp parallel for` over the tasks. The
 * compiler and libgomp create, start and join the threads that threads
 * (strategy.c) writes out by hand with pthread_create and pthread_join.
 *
 * num_threads(ntasks) gives every task a thread of its own, as the threads
 * strategy does, so the two rows compare like for like. Without it OpenMP
 * would start one thread per CPU and hand each a share of the tasks:
 * right for computing, but sleeping tasks would then wait in turn.
 *
 * libgomp cannot report a failure to start a thread: it prints
 * "libgomp: Thread creation failed" and aborts the program. So the run
 * refuses, before starting any, more threads than OPENMP_MAX_THREADS, far
 * fewer than a laptop can start. Built only with OpenMP (meson_options.txt).
 */
#include "strategy.h"

#include "i18n.h"

#include <errno.h>

#define OPENMP_MAX_THREADS 1000

static int run_openmp(const struct strategy_context *context, const struct workload *w, size_t ntasks,
                      struct task_record *records, const char **failed_call)
{
    (void)context; /* a thread per task, no settings */
    if (ntasks > OPENMP_MAX_THREADS) {
        *failed_call = "omp parallel (more than 1000 threads)";
        return -EAGAIN;
    }
    long n = (long)ntasks; /* OpenMP 3 loops want a signed index */
#pragma omp parallel for num_threads(ntasks) schedule(static, 1)
    for (long i = 0; i < n; i++)
        strategy_run_task(w, (size_t)i, &records[i]);
    return 0;
}

const struct strategy strategy_openmp = {
    .name = "openmp",
    .explains = N_("#pragma omp parallel for: a thread per task, made by OpenMP"),
    .overlaps_waiting = true,
    .computes_in_parallel = true,
    .start_cost = 3e-5,
    .run = run_openmp,
};
