/* verdict: the sentence follows from the numbers, on comparisons built by
 * hand (no clock is read); and the ideal speedups the verdicts rest on. */
#include "harness.h"
#include "verdict.h"

#include <criterion/criterion.h>
#include <string.h>

/* A comparison of `ntasks` tasks on CPUs 0..cpus-1. Each wall time that is
 * more than 0 adds that strategy's result: sequential, threads, processes. */
static struct comparison make(enum workload_kind kind, size_t ntasks, size_t cpus, double seq_wall,
                              double threads_wall, double processes_wall)
{
    struct comparison c;
    memset(&c, 0, sizeof c);
    c.workload = (struct workload){.kind = kind, .seconds = 1.0, .units = kind == WORKLOAD_CPU ? 1000 : 0};
    c.ntasks = ntasks;
    c.cpus.count = cpus;
    for (size_t i = 0; i < cpus; i++)
        c.cpus.ids[i] = (int)i;
    const struct strategy *strategies[] = {&strategy_sequential, &strategy_threads, &strategy_processes};
    const double walls[] = {seq_wall, threads_wall, processes_wall};
    for (size_t i = 0; i < 3; i++) {
        if (walls[i] <= 0.0)
            continue;
        c.results[c.count++] = (struct measurement){.strategy = strategies[i],
                                                    .runs = 3,
                                                    .wall = walls[i],
                                                    .wall_min = walls[i],
                                                    .wall_max = walls[i],
                                                    .user = 0.0,
                                                    .sys = 0.0,
                                                    .checksum = 1,
                                                    .checksum_ok = true};
    }
    return c;
}

#define assert_contains(text, needle) \
    cr_assert_not_null(strstr((text), (needle)), "expected \"%s\" in: %s", (needle), (text))
#define assert_lacks(text, needle) \
    cr_assert_null(strstr((text), (needle)), "did not expect \"%s\" in: %s", (needle), (text))

/* ---- verdict_versus -------------------------------------------------------- */

Test(verdict_versus, sleep_10x_on_1_and_2_cpus_is_concurrency)
{
    struct comparison all = make(WORKLOAD_SLEEP, 10, 2, 10.0, 1.0, 1.0);
    struct comparison one = make(WORKLOAD_SLEEP, 10, 1, 10.0, 1.0, 1.01);
    char buf[VERDICT_SIZE];
    verdict_versus(&all, &one, buf, sizeof buf);
    assert_contains(buf, "concurrency is enough");
    assert_contains(buf, "9.90x on 1 CPU"); /* processes' 10 / 1.01, the lower */
    assert_contains(buf, "10.00x on 2 CPUs");
}

Test(verdict_versus, sleep_only_3x_of_10_is_not_concurrency)
{
    struct comparison all = make(WORKLOAD_SLEEP, 10, 2, 10.0, 10.0 / 3.0, 10.0 / 3.0);
    struct comparison one = make(WORKLOAD_SLEEP, 10, 1, 10.0, 10.0 / 3.0, 10.0 / 3.0);
    char buf[VERDICT_SIZE];
    verdict_versus(&all, &one, buf, sizeof buf);
    assert_lacks(buf, "concurrency is enough");
    assert_contains(buf, "short of the ideal 10x");
    assert_contains(buf, "3.00x on 1 CPU");
}

Test(verdict_versus, cpu_flat_on_1_cpu_and_1_95x_on_2_is_parallelism)
{
    struct comparison all = make(WORKLOAD_CPU, 2, 2, 3.9, 2.0, 2.0);
    struct comparison one = make(WORKLOAD_CPU, 2, 1, 3.9, 3.9, 3.9);
    char buf[VERDICT_SIZE];
    verdict_versus(&all, &one, buf, sizeof buf);
    assert_contains(buf, "only parallelism");
    assert_contains(buf, "1.00x on 1 CPU");
    assert_contains(buf, "1.95x on 2 CPUs");
}

Test(verdict_versus, cpu_with_only_1_cpu_allowed_has_no_parallelism_to_show)
{
    struct comparison all = make(WORKLOAD_CPU, 2, 1, 2.0, 2.0, 2.0);
    struct comparison one = make(WORKLOAD_CPU, 2, 1, 2.0, 2.0, 2.0);
    char buf[VERDICT_SIZE];
    verdict_versus(&all, &one, buf, sizeof buf);
    assert_contains(buf, "only 1 CPU");
    assert_contains(buf, "no parallelism to show");
    assert_lacks(buf, "only parallelism");
}

Test(verdict_versus, cpu_on_busy_machine_is_short_of_ideal)
{
    struct comparison all = make(WORKLOAD_CPU, 2, 2, 2.4, 2.0, 2.0);
    struct comparison one = make(WORKLOAD_CPU, 2, 1, 2.4, 2.4, 2.4);
    char buf[VERDICT_SIZE];
    verdict_versus(&all, &one, buf, sizeof buf);
    assert_lacks(buf, "only parallelism");
    assert_contains(buf, "short of the ideal");
    assert_contains(buf, "1.20x on 2 CPUs");
}

Test(verdict_versus, cpu_with_one_task_has_nothing_to_run_in_parallel)
{
    struct comparison all = make(WORKLOAD_CPU, 1, 2, 1.0, 1.0, 1.0);
    struct comparison one = make(WORKLOAD_CPU, 1, 1, 1.0, 1.0, 1.0);
    char buf[VERDICT_SIZE];
    verdict_versus(&all, &one, buf, sizeof buf);
    assert_lacks(buf, "only parallelism");
    assert_contains(buf, "--tasks 2");
}

Test(verdict_versus, cpu_faster_on_1_cpu_is_flagged_as_noise)
{
    struct comparison all = make(WORKLOAD_CPU, 2, 2, 2.0, 1.0, 1.0);
    struct comparison one = make(WORKLOAD_CPU, 2, 1, 2.0, 1.25, 1.25);
    char buf[VERDICT_SIZE];
    verdict_versus(&all, &one, buf, sizeof buf);
    assert_lacks(buf, "only parallelism");
    assert_contains(buf, "1.60x on 1 CPU?!");
}

Test(verdict_versus, without_sequential_there_is_nothing_to_judge)
{
    struct comparison all = make(WORKLOAD_SLEEP, 10, 2, 0.0, 1.0, 1.0);
    struct comparison one = make(WORKLOAD_SLEEP, 10, 1, 10.0, 1.0, 1.0);
    char buf[VERDICT_SIZE];
    verdict_versus(&all, &one, buf, sizeof buf);
    assert_contains(buf, "no speedup to judge");
    assert_lacks(buf, "concurrency is enough");
}

/* ---- verdict_single -------------------------------------------------------- */

Test(verdict_single, sleep_near_ideal_overlapped)
{
    struct comparison c = make(WORKLOAD_SLEEP, 10, 1, 10.0, 1.0, 1.05);
    char buf[VERDICT_SIZE];
    verdict_single(&c, buf, sizeof buf);
    assert_contains(buf, "sleep: 9.52x on 1 CPU (ideal 10x)");
    assert_contains(buf, "overlapped");
}

Test(verdict_single, sleep_far_from_ideal_says_so)
{
    struct comparison c = make(WORKLOAD_SLEEP, 10, 2, 10.0, 10.0 / 3.0, 10.0 / 3.0);
    char buf[VERDICT_SIZE];
    verdict_single(&c, buf, sizeof buf);
    assert_contains(buf, "only 3.00x of an ideal 10x");
    assert_lacks(buf, "overlapped");
}

Test(verdict_single, cpu_on_1_cpu_is_no_speedup)
{
    struct comparison c = make(WORKLOAD_CPU, 4, 1, 4.0, 4.0, 4.0);
    char buf[VERDICT_SIZE];
    verdict_single(&c, buf, sizeof buf);
    assert_contains(buf, "cpu: 1.00x on 1 CPU");
    assert_contains(buf, "no speedup");
}

Test(verdict_single, cpu_near_ideal_computed_in_parallel)
{
    struct comparison c = make(WORKLOAD_CPU, 2, 2, 3.9, 2.0, 2.0);
    char buf[VERDICT_SIZE];
    verdict_single(&c, buf, sizeof buf);
    assert_contains(buf, "cpu: 1.95x on 2 CPUs (ideal 2x)");
    assert_contains(buf, "in parallel");
}

Test(verdict_single, cpu_on_busy_machine_blames_other_programs)
{
    struct comparison c = make(WORKLOAD_CPU, 2, 2, 2.4, 2.0, 2.0);
    char buf[VERDICT_SIZE];
    verdict_single(&c, buf, sizeof buf);
    assert_contains(buf, "only 1.20x of an ideal 2x on 2 CPUs");
    assert_lacks(buf, "in parallel");
}

Test(verdict_single, without_sequential_there_is_nothing_to_judge)
{
    struct comparison c = make(WORKLOAD_CPU, 2, 2, 0.0, 1.0, 1.0);
    char buf[VERDICT_SIZE];
    verdict_single(&c, buf, sizeof buf);
    assert_contains(buf, "no speedup to judge");
}

Test(verdict_single, fits_a_small_buffer)
{
    struct comparison c = make(WORKLOAD_SLEEP, 10, 2, 10.0, 1.0, 1.0);
    char buf[16];
    memset(buf, 'x', sizeof buf);
    verdict_single(&c, buf, sizeof buf);
    cr_assert_eq(strlen(buf), sizeof buf - 1);
    cr_assert_eq(strncmp(buf, "sleep: 10.00x o", sizeof buf - 1), 0, "%s", buf);
}

/* ---- verdict_speedup -------------------------------------------------------- */

Test(verdict_speedup, is_the_lower_of_threads_and_processes)
{
    struct comparison c = make(WORKLOAD_CPU, 4, 4, 8.0, 2.0, 4.0); /* threads 4x, processes 2x */
    cr_assert_float_eq(verdict_speedup(&c), 2.0, 1e-12);
    c = make(WORKLOAD_CPU, 4, 4, 8.0, 4.0, 2.0); /* threads 2x, processes 4x */
    cr_assert_float_eq(verdict_speedup(&c), 2.0, 1e-12);
}

Test(verdict_speedup, ignores_sequential)
{
    /* sequential's own 1x is lower, but it could not have sped anything up */
    struct comparison c = make(WORKLOAD_SLEEP, 10, 2, 10.0, 1.0, 2.0);
    cr_assert_float_eq(verdict_speedup(&c), 5.0, 1e-12);
}

Test(verdict_speedup, with_only_threads_is_threads_speedup)
{
    struct comparison c = make(WORKLOAD_SLEEP, 10, 2, 10.0, 1.25, 0.0);
    cr_assert_float_eq(verdict_speedup(&c), 8.0, 1e-12);
}

Test(verdict_speedup, is_zero_without_sequential_or_without_others)
{
    struct comparison no_sequential = make(WORKLOAD_CPU, 2, 2, 0.0, 1.0, 1.0);
    struct comparison only_sequential = make(WORKLOAD_CPU, 2, 2, 2.0, 0.0, 0.0);
    cr_assert_float_eq(verdict_speedup(&no_sequential), 0.0, 1e-12);
    cr_assert_float_eq(verdict_speedup(&only_sequential), 0.0, 1e-12);
}

/* ---- harness_ideal_speedup and harness_speedup --------------------------- */

/* A strategy that overlaps waiting but computes on one CPU (like an event loop). */
static const struct strategy waits_only_strategy = {
    .name = "event-loop",
    .explains = "a test strategy",
    .overlaps_waiting = true,
    .computes_in_parallel = false,
    .run = NULL,
};

Test(ideal_speedup, sleep_is_tasks_for_threads_and_1_for_sequential)
{
    struct comparison c = make(WORKLOAD_SLEEP, 10, 2, 10.0, 1.0, 1.0);
    cr_assert_float_eq(harness_ideal_speedup(&c, harness_find(&c, "threads")), 10.0, 1e-12);
    cr_assert_float_eq(harness_ideal_speedup(&c, harness_find(&c, "processes")), 10.0, 1e-12);
    cr_assert_float_eq(harness_ideal_speedup(&c, harness_find(&c, "sequential")), 1.0, 1e-12);
}

Test(ideal_speedup, sleep_does_not_depend_on_cpus)
{
    struct comparison c = make(WORKLOAD_SLEEP, 10, 1, 10.0, 1.0, 1.0);
    cr_assert_float_eq(harness_ideal_speedup(&c, harness_find(&c, "threads")), 10.0, 1e-12);
}

Test(ideal_speedup, cpu_is_min_of_tasks_and_cpus_for_threads)
{
    struct comparison more_tasks = make(WORKLOAD_CPU, 10, 2, 10.0, 5.0, 5.0);
    struct comparison more_cpus = make(WORKLOAD_CPU, 3, 8, 3.0, 1.0, 1.0);
    cr_assert_float_eq(harness_ideal_speedup(&more_tasks, harness_find(&more_tasks, "threads")), 2.0, 1e-12);
    cr_assert_float_eq(harness_ideal_speedup(&more_cpus, harness_find(&more_cpus, "threads")), 3.0, 1e-12);
    cr_assert_float_eq(harness_ideal_speedup(&more_cpus, harness_find(&more_cpus, "processes")), 3.0, 1e-12);
}

Test(ideal_speedup, cpu_is_1_for_sequential)
{
    struct comparison c = make(WORKLOAD_CPU, 10, 2, 10.0, 5.0, 5.0);
    cr_assert_float_eq(harness_ideal_speedup(&c, harness_find(&c, "sequential")), 1.0, 1e-12);
}

Test(ideal_speedup, cpu_is_1_for_a_strategy_that_only_overlaps_waiting)
{
    struct comparison c = make(WORKLOAD_CPU, 10, 2, 10.0, 0.0, 0.0);
    struct measurement m = {.strategy = &waits_only_strategy, .wall = 10.0};
    cr_assert_float_eq(harness_ideal_speedup(&c, &m), 1.0, 1e-12);
    c.workload.kind = WORKLOAD_SLEEP;
    cr_assert_float_eq(harness_ideal_speedup(&c, &m), 10.0, 1e-12);
}

Test(harness_speedup, is_sequential_wall_over_this_wall)
{
    struct comparison c = make(WORKLOAD_CPU, 2, 2, 3.0, 1.5, 2.0);
    cr_assert_float_eq(harness_speedup(&c, harness_find(&c, "sequential")), 1.0, 1e-12);
    cr_assert_float_eq(harness_speedup(&c, harness_find(&c, "threads")), 2.0, 1e-12);
    cr_assert_float_eq(harness_speedup(&c, harness_find(&c, "processes")), 1.5, 1e-12);
    cr_assert_null(harness_find(&c, "bogus"));
}

/* ---- fixed shares (mpi_cpu's ranks) ---------------------------------------- */

/* A computing comparison of sequential and one strategy that deals the
 * tasks out to `workers` in fixed shares. */
static double fixed_share_ideal(size_t ntasks, size_t cpus, size_t workers, char *verdict)
{
    static struct strategy shares = {.name = "shares", .computes_in_parallel = true};
    shares.workers = workers;
    struct comparison c = make(WORKLOAD_CPU, ntasks, cpus, 3.0, 0.0, 0.0);
    c.results[c.count++] = (struct measurement){.strategy = &shares,
                                                .runs = 1,
                                                .wall = 2.0,
                                                .wall_min = 2.0,
                                                .wall_max = 2.0,
                                                .checksum = 1,
                                                .checksum_ok = true};
    verdict_single(&c, verdict, VERDICT_SIZE);
    return harness_ideal_speedup(&c, &c.results[1]);
}

Test(ideal, fixed_shares_are_paced_by_the_busiest_worker)
{
    char verdict[VERDICT_SIZE];
    /* 3 tasks on 2 ranks: one rank runs 2, so 3 / 2 = 1.5x at best ... */
    cr_assert_float_eq(fixed_share_ideal(3, 2, 2, verdict), 1.5, 1e-9);
    /* ... and 1.5x measured is all of it, not "other programs". */
    assert_contains(verdict, "ideal 1.5x");
    assert_contains(verdict, "computed in parallel");
    /* 4 ranks on 2 CPUs: the CPUs set the pace, 2x. */
    cr_assert_float_eq(fixed_share_ideal(4, 2, 4, verdict), 2.0, 1e-9);
    /* One task per rank, one CPU each: every rank at once. */
    cr_assert_float_eq(fixed_share_ideal(2, 2, 2, verdict), 2.0, 1e-9);
}
