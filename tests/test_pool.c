/* The pool runs every task exactly once, for any number of workers. */
#include "pool.h"

#include <criterion/criterion.h>
#include <stdatomic.h>

#define TASKS 50

static atomic_int runs[TASKS];
static atomic_size_t highest_worker;

static void count_run(size_t index, size_t worker, void *context)
{
    (void)context;
    atomic_fetch_add(&runs[index], 1);
    size_t seen = atomic_load(&highest_worker);
    while (worker > seen && !atomic_compare_exchange_weak(&highest_worker, &seen, worker))
        continue;
}

Test(pool, every_task_exactly_once_for_1_to_17_workers)
{
    for (size_t workers = 1; workers <= 17; workers++) {
        for (int i = 0; i < TASKS; i++)
            atomic_store(&runs[i], 0);
        const char *failed_call = NULL;
        cr_assert_eq(pool_run(workers, TASKS, count_run, NULL, &failed_call), 0);
        for (int i = 0; i < TASKS; i++)
            cr_assert_eq(atomic_load(&runs[i]), 1, "%zu workers: task %d ran %d times", workers, i,
                         atomic_load(&runs[i]));
    }
    cr_assert_leq(atomic_load(&highest_worker), 16, "worker numbers run from 0 to workers-1");
}
