/* The shared counter's kinds (lib/counter.c), measured through the
 * harness: the synchronized ones always reach tasks x units, for threads
 * and for processes that share the counter; a counter in private memory
 * stays 0 in the parent when children did the counting; the unsynchronized
 * one may lose additions but never gains any. A test must not assert that
 * a race happened: on a quiet machine it may not. */
#include "counter.h"
#include "harness.h"
#include "strategy.h"

#include <criterion/criterion.h>
#include <string.h>

#define NTASKS 4
#define UNITS  20000

/* `kind` under sequential, threads and processes, one run each. */
static struct comparison counted(const struct workload_kind *kind)
{
    static const struct strategy *const three[] = {&strategy_sequential, &strategy_threads,
                                                   &strategy_processes};
    struct harness_plan plan = {.strategies = three, .count = 3, .ntasks = NTASKS, .runs = 1};
    struct workload w = {.kind = kind, .units = UNITS};
    struct comparison c;
    const char *failed_call = "?";
    int err = harness_compare(&plan, &w, &c, &failed_call);
    cr_assert_eq(err, 0, "%s: %s: %s", kind->name, failed_call, strerror(-err));
    cr_assert_eq(c.expected_result, (uint64_t)NTASKS * UNITS, "%s", kind->name);
    return c;
}

static void assert_every_addition_counted(const struct workload_kind *kind)
{
    struct comparison c = counted(kind);
    for (size_t i = 0; i < c.count; i++) {
        const struct measurement *m = &c.results[i];
        cr_expect_eq(m->result, c.expected_result, "%s under %s: %llu of %llu", kind->name, m->strategy->name,
                     (unsigned long long)m->result, (unsigned long long)c.expected_result);
        cr_expect_eq(m->wrong_results, 0, "%s under %s", kind->name, m->strategy->name);
    }
    harness_free(&c);
}

Test(counter, a_mutex_counts_every_addition)
{
    assert_every_addition_counted(&counter_mutex);
}

Test(counter, an_atomic_counts_every_addition)
{
    assert_every_addition_counted(&counter_atomic);
}

Test(counter, per_task_slots_count_every_addition)
{
    assert_every_addition_counted(&counter_per_task);
}

Test(counter, children_count_in_their_own_copy_of_private_memory)
{
    struct comparison c = counted(&counter_private);
    cr_expect_eq(harness_find(&c, "sequential")->result, c.expected_result);
    cr_expect_eq(harness_find(&c, "threads")->result, c.expected_result,
                 "threads share the process's memory");
    cr_expect_eq(harness_find(&c, "processes")->result, 0, "the parent's copy was never touched");
    cr_expect_eq(harness_find(&c, "processes")->wrong_results, harness_find(&c, "processes")->runs,
                 "every run");
    harness_free(&c);
}

Test(counter, an_unsynchronized_counter_may_lose_additions_but_never_gains)
{
    struct comparison c = counted(&counter_unsynchronized);
    cr_expect_eq(harness_find(&c, "sequential")->result, c.expected_result, "one task at a time: no race");
    for (size_t i = 0; i < c.count; i++)
        cr_expect_leq(c.results[i].result, c.expected_result, "%s", c.results[i].strategy->name);
    harness_free(&c);
}

Test(counter, calibration_sizes_a_task_from_its_seconds)
{
    struct workload short_task = {.kind = &counter_atomic, .seconds = 0.001};
    struct workload long_task = {.kind = &counter_atomic, .seconds = 0.01};
    workload_calibrate(&short_task);
    workload_calibrate(&long_task);
    cr_expect_gt(short_task.units, 0);
    cr_expect_gt(long_task.units, 4 * short_task.units, "%llu then %llu",
                 (unsigned long long)short_task.units, (unsigned long long)long_task.units);
}

Test(counter, the_line_size_is_a_power_of_two_a_cpu_could_have)
{
    size_t line = counter_line_size();
    cr_expect_geq(line, 16);
    cr_expect_leq(line, 4096);
    cr_expect_eq(line & (line - 1), 0, "%zu", line);
}
