/* The simulated GIL: one holder at a time, the same answers as sequential,
 * and a waiting thread served within a wide multiple of the switch interval. */
#include "gil.h"
#include "stopwatch.h"
#include "strategy.h"

#include <criterion/criterion.h>
#include <stdatomic.h>

/* Runs given no settings: every strategy's defaults. */
static const struct strategy_context no_settings = {0};

#define THREADS  4
#define HANDOFFS 2000

static struct gil gil;
static int holders;              /* changed only while holding the GIL */
static atomic_int overlaps;      /* times a holder found another holder */
static atomic_bool stop_holding; /* tells a busy holder to finish */

static void hold_briefly(void)
{
    holders++;
    if (holders != 1)
        atomic_fetch_add(&overlaps, 1);
    for (volatile int spin = 0; spin < 200; spin++)
        continue;
    holders--;
}

/* Takes and drops the lock many times, and also keeps it while offering
 * it up between chunks, so both kinds of handoff are exercised. */
static void *contend(void *arg)
{
    (void)arg;
    for (int i = 0; i < HANDOFFS; i++) {
        gil_take(&gil);
        hold_briefly();
        gil_yield_if_asked(&gil);
        hold_briefly();
        gil_drop(&gil);
    }
    return NULL;
}

Test(gil, never_two_holders_at_once, .timeout = 60)
{
    cr_assert_eq(gil_init(&gil, 0.0005), 0);
    pthread_t threads[THREADS];
    for (int i = 0; i < THREADS; i++)
        cr_assert_eq(pthread_create(&threads[i], NULL, contend, NULL), 0);
    for (int i = 0; i < THREADS; i++)
        pthread_join(threads[i], NULL);
    cr_assert_eq(atomic_load(&overlaps), 0, "two threads held the GIL at once");
    cr_assert_geq(gil_switches(&gil), (unsigned long)THREADS * HANDOFFS, "every take counted");
    gil_destroy(&gil);
}

/* Holds the lock and computes, offering it up between chunks, until told to stop. */
static void *busy_holder(void *arg)
{
    (void)arg;
    gil_take(&gil);
    while (!atomic_load(&stop_holding))
        gil_yield_if_asked(&gil);
    gil_drop(&gil);
    return NULL;
}

Test(gil, a_waiter_gets_the_lock_within_a_few_intervals, .timeout = 30)
{
    double interval = 0.005;
    cr_assert_eq(gil_init(&gil, interval), 0);
    pthread_t holder;
    cr_assert_eq(pthread_create(&holder, NULL, busy_holder, NULL), 0);
    while (gil_switches(&gil) == 0) /* until the holder has it */
        continue;
    double start = stopwatch_now();
    gil_take(&gil); /* the holder never drops it on its own: only on request */
    double waited = stopwatch_now() - start;
    gil_drop(&gil);
    atomic_store(&stop_holding, true);
    pthread_join(holder, NULL);
    gil_destroy(&gil);
    cr_assert_lt(waited, 40 * interval, "waited %.4f s for a %.4f s interval", waited, interval);
    cr_assert_geq(waited, 0.5 * interval, "got it at once: the holder should keep it an interval");
}

static uint64_t combined_checksum(const struct strategy *s, const struct workload *w)
{
    struct task_record records[6];
    const char *failed_call = NULL;
    cr_assert_eq(s->run(&no_settings, w, 6, records, &failed_call), 0);
    uint64_t combined = 0;
    for (int i = 0; i < 6; i++)
        combined = workload_combine(combined, records[i].checksum);
    return combined;
}

Test(gil, threads_under_the_gil_compute_what_sequential_computes)
{
    /* 100,000 units: several chunks per task, so the lock changes hands mid-task */
    struct workload w = {.kind = &workload_cpu, .units = 100000};
    cr_assert_eq(combined_checksum(&strategy_threads_gil, &w), combined_checksum(&strategy_sequential, &w));
}

static void count_chunk(void *calls)
{
    (*(int *)calls)++;
}

Test(gil, hooked_computation_gives_the_same_checksum)
{
    struct workload w = {.kind = &workload_cpu, .units = 3 * WORKLOAD_CHUNK + 7}; /* a ragged last chunk */
    int calls = 0;
    struct workload_hooks count = {.between_chunks = count_chunk, .context = &calls};
    cr_assert_eq(workload_run_task_hooked(&w, 5, &count), workload_run_task(&w, 5));
    cr_assert_eq(calls, 3, "between four chunks (three whole, one ragged), not after the last");
}
