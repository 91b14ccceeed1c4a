/*
 * counter: tasks that share one counter, the half of concurrency where
 * tasks touch the same data. Every task adds 1 to the counter w->units
 * times; the run's count should be tasks x units. Six ways:
 *
 *   unsynchronized  load, add 1, store: three steps, as `counter++`
 *                   compiles. Two tasks that load the same value both
 *                   store value + 1, and one addition is lost (a race).
 *   mutex           the three steps while holding a pthread mutex, one
 *                   marked process-shared so forked children can use it
 *   atomic          atomic_fetch_add: the CPU does the three steps as one
 *   per_task        each task counts in a slot of its own, a cache line
 *                   from the next, and the slots are added up at the end
 *                   (perfbook's statistical counter): nothing is shared
 *   private         atomic_fetch_add on a counter in ordinary memory:
 *                   threads share it, but each forked child adds to its
 *                   own copy, and the parent's stays 0
 *   adjacent        per_task's slots side by side, 8 bytes apart, so that
 *                   up to eight of them share one cache line: nothing is
 *                   shared in the program, but the CPUs pass the line back
 *                   and forth on every addition (false sharing)
 *
 * The counter lives in memory mapped before the run (kind->setup): shared
 * with forked children for all but `private`. A task's checksum is its
 * workload_token; the count is the run's result (workload_result).
 */
#ifndef ATONCE_COUNTER_H
#define ATONCE_COUNTER_H

#include "workload.h"

extern const struct workload_kind counter_unsynchronized;
extern const struct workload_kind counter_mutex;
extern const struct workload_kind counter_atomic;
extern const struct workload_kind counter_per_task;
extern const struct workload_kind counter_private;
extern const struct workload_kind counter_adjacent;

/* The cache line size the per-task slots are padded to: sysconf's
 * _SC_LEVEL1_DCACHE_LINESIZE, else sysfs coherency_line_size, else 64. */
size_t counter_line_size(void);

#endif
