/*
 * threads_check: the threaded scenarios of test_gil, test_pool and
 * test_strategy as a plain program, for ThreadSanitizer. Criterion cannot
 * start under TSan (its inheritable arena fails to map: Criterion issue
 * #274), so .ci/run builds this with -fsanitize=thread and runs it; it also
 * runs as an ordinary test in every other build.
 *
 * Prints one line per check and "N passed, N failed"; exits 1 on a failure.
 */
#include "counter.h"
#include "gil.h"
#include "harness.h"
#include "pool.h"
#include "strategy.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>

/* Runs given no settings: every strategy's defaults. */
static const struct strategy_context no_settings = {0};

static int passed, failed;

static void check(const char *what, bool ok)
{
    printf("%s %s\n", ok ? "ok  " : "FAIL", what);
    ok ? passed++ : failed++;
}

/* ---- the GIL: one holder at a time ----------------------------------- */

static struct gil gil;
static int holders; /* changed only while holding the GIL */
static atomic_int overlaps;

static void hold(void)
{
    if (++holders != 1)
        atomic_fetch_add(&overlaps, 1);
    holders--;
}

static void *contend(void *arg)
{
    (void)arg;
    for (int i = 0; i < 2000; i++) {
        gil_take(&gil);
        hold();
        gil_yield_if_asked(&gil);
        hold();
        gil_drop(&gil);
    }
    return NULL;
}

static void check_gil(void)
{
    pthread_t threads[4];
    gil_init(&gil, 0.0005);
    for (int i = 0; i < 4; i++)
        pthread_create(&threads[i], NULL, contend, NULL);
    for (int i = 0; i < 4; i++)
        pthread_join(threads[i], NULL);
    gil_destroy(&gil);
    check("gil: 4 threads x 2000 handoffs, never two holders", atomic_load(&overlaps) == 0);
}

/* ---- the pool: every task exactly once ------------------------------- */

static atomic_int runs[50];

static void count_run(size_t index, size_t worker, void *context)
{
    (void)worker;
    (void)context;
    atomic_fetch_add(&runs[index], 1);
}

static void check_pool(void)
{
    bool once = true;
    for (size_t workers = 1; workers <= 17; workers++) {
        for (int i = 0; i < 50; i++)
            atomic_store(&runs[i], 0);
        const char *failed_call = NULL;
        once &= pool_run(workers, 50, count_run, NULL, &failed_call) == 0;
        for (int i = 0; i < 50; i++)
            once &= atomic_load(&runs[i]) == 1;
    }
    check("pool: 1..17 workers over 50 tasks, each task exactly once", once);
}

/* ---- the strategies: the same checksum as sequential ----------------- */

static uint64_t checksum_of(const struct strategy *s, const struct workload *w)
{
    struct task_record records[8];
    const char *failed_call = NULL;
    if (s->run(&no_settings, w, 8, records, &failed_call) != 0)
        return 0;
    uint64_t combined = 0;
    for (int i = 0; i < 8; i++)
        combined = workload_combine(combined, records[i].checksum);
    return combined;
}

static void check_strategies(void)
{
    struct workload computing = {.kind = &workload_cpu, .units = 100000};
    struct workload sleeping = {.kind = &workload_sleep, .seconds = 0.01};
    const struct strategy *threaded[] = {&strategy_threads, &strategy_threads_gil, &strategy_event_loop};
    for (int i = 0; i < 3; i++) {
        char what[96];
        snprintf(what, sizeof what, "%s: cpu and sleep checksums equal sequential's", threaded[i]->name);
        check(what, checksum_of(threaded[i], &computing) == checksum_of(&strategy_sequential, &computing) &&
                        checksum_of(threaded[i], &sleeping) == checksum_of(&strategy_sequential, &sleeping));
    }
}

/* ---- the shared counter: threads and the pool on one counter ---------- */

/* The synchronized ways under threads and the pool, through the harness
 * (which makes and releases the counter around each run). Under TSan they
 * must run clean. The unsynchronized way is left out: its lost additions
 * would fail the count check, and TSan would stay silent about them anyway,
 * since its loads and stores are relaxed atomics, not a data race in C's
 * sense (notes/16-race.md says why the demo is written so). */
static void check_counter(void)
{
    const struct workload_kind *synchronized[] = {&counter_mutex, &counter_atomic, &counter_per_task};
    const struct strategy *threaded[] = {&strategy_threads, &strategy_pool};
    for (int k = 0; k < 3; k++)
        for (int i = 0; i < 2; i++) {
            struct harness_plan plan = {.strategies = &threaded[i], .count = 1, .ntasks = 4, .runs = 1};
            struct workload w = {.kind = synchronized[k], .units = 20000};
            struct comparison c;
            const char *failed_call = NULL;
            bool measured = harness_compare(&plan, &w, &c, &failed_call) == 0; /* frees itself on failure */
            bool ok = measured && c.results[0].result == c.expected_result &&
                      c.expected_result == UINT64_C(4) * 20000;
            if (measured)
                harness_free(&c);
            char what[96];
            snprintf(what, sizeof what, "%s under %s: every addition counted", synchronized[k]->name,
                     threaded[i]->name);
            check(what, ok);
        }
}

int main(void)
{
    check_gil();
    check_pool();
    check_strategies();
    check_counter();
    printf("%d passed, %d failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
}
