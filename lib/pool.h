/*
 * pool: a fixed number of worker threads that share a list of tasks. Each
 * worker takes the next task number from one atomic counter until none
 * are left, so every task runs exactly once, whatever the number of
 * workers, and a fast worker simply takes more tasks (no fixed split).
 */
#ifndef ATONCE_POOL_H
#define ATONCE_POOL_H

#include <stddef.h>

/* Runs task(0..ntasks-1, worker, context) on `workers` threads (the calling
 * thread waits). Returns 0, or -errno with *failed_call set; every thread
 * started has been joined by then. */
int pool_run(size_t workers, size_t ntasks, void (*task)(size_t index, size_t worker, void *context),
             void *context, const char **failed_call);

/* The pool as a strategy, `pool` (strategy_pool in strategy.h): the tasks
 * shared by strategy_worker_count(context) workers, after the context's
 * serial part if any. */

#endif
