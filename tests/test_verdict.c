/* verdict: the sentence follows from the numbers, on comparisons built by
 * hand (no clock is read); and the ideal speedups the verdicts rest on. */
#include "counter.h"
#include "harness.h"
#include "verdict.h"

#include <criterion/criterion.h>
#include <string.h>

/* A comparison of `ntasks` tasks on CPUs 0..cpus-1. Each wall time that is
 * more than 0 adds that strategy's result: sequential, threads, processes. */
static struct comparison make(const struct workload_kind *kind, size_t ntasks, size_t cpus, double seq_wall,
                              double threads_wall, double processes_wall)
{
    struct comparison c;
    memset(&c, 0, sizeof c);
    c.workload = (struct workload){.kind = kind, .seconds = 1.0, .units = kind->computes ? 1000 : 0};
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
    struct comparison all = make(&workload_sleep, 10, 2, 10.0, 1.0, 1.0);
    struct comparison one = make(&workload_sleep, 10, 1, 10.0, 1.0, 1.01);
    char buf[VERDICT_SIZE];
    verdict_versus(&all, &one, buf, sizeof buf);
    assert_contains(buf, "concurrency is enough");
    assert_contains(buf, "9.90x on 1 CPU"); /* processes' 10 / 1.01, the lower */
    assert_contains(buf, "10.00x on 2 CPUs");
}

Test(verdict_versus, sleep_9x_of_10_shows_the_lesson_starting_them_costs_a_little)
{
    struct comparison all = make(&workload_sleep, 10, 2, 10.0, 1.05, 1.1);
    struct comparison one = make(&workload_sleep, 10, 1, 10.0, 1.05, 1.1);
    char buf[VERDICT_SIZE];
    verdict_versus(&all, &one, buf, sizeof buf);
    assert_contains(buf, "concurrency is enough"); /* 9.09x: over 90 % */
    all.results[2].wall = one.results[2].wall = 1.12;
    verdict_versus(&all, &one, buf, sizeof buf);
    assert_contains(buf, "short of the ideal 10x"); /* 8.92x */
}

Test(verdict_versus, sleep_only_3x_of_10_is_not_concurrency)
{
    struct comparison all = make(&workload_sleep, 10, 2, 10.0, 10.0 / 3.0, 10.0 / 3.0);
    struct comparison one = make(&workload_sleep, 10, 1, 10.0, 10.0 / 3.0, 10.0 / 3.0);
    char buf[VERDICT_SIZE];
    verdict_versus(&all, &one, buf, sizeof buf);
    assert_lacks(buf, "concurrency is enough");
    assert_contains(buf, "short of the ideal 10x");
    assert_contains(buf, "3.00x on 1 CPU");
}

Test(verdict_versus, cpu_flat_on_1_cpu_and_1_95x_on_2_is_parallelism)
{
    struct comparison all = make(&workload_cpu, 2, 2, 3.9, 2.0, 2.0);
    struct comparison one = make(&workload_cpu, 2, 1, 3.9, 3.9, 3.9);
    char buf[VERDICT_SIZE];
    verdict_versus(&all, &one, buf, sizeof buf);
    assert_contains(buf, "only parallelism");
    assert_contains(buf, "1.00x on 1 CPU");
    assert_contains(buf, "1.95x on 2 CPUs");
}

Test(verdict_versus, cpu_with_only_1_cpu_allowed_has_no_parallelism_to_show)
{
    struct comparison all = make(&workload_cpu, 2, 1, 2.0, 2.0, 2.0);
    struct comparison one = make(&workload_cpu, 2, 1, 2.0, 2.0, 2.0);
    char buf[VERDICT_SIZE];
    verdict_versus(&all, &one, buf, sizeof buf);
    assert_contains(buf, "only 1 CPU");
    assert_contains(buf, "no parallelism to show");
    assert_lacks(buf, "only parallelism");
}

Test(verdict_versus, cpu_on_busy_machine_is_short_of_ideal)
{
    struct comparison all = make(&workload_cpu, 2, 2, 2.4, 2.0, 2.0);
    struct comparison one = make(&workload_cpu, 2, 1, 2.4, 2.4, 2.4);
    char buf[VERDICT_SIZE];
    verdict_versus(&all, &one, buf, sizeof buf);
    assert_lacks(buf, "only parallelism");
    assert_contains(buf, "short of the ideal");
    assert_contains(buf, "1.20x on 2 CPUs");
}

Test(verdict_versus, cpu_with_one_task_has_nothing_to_run_in_parallel)
{
    struct comparison all = make(&workload_cpu, 1, 2, 1.0, 1.0, 1.0);
    struct comparison one = make(&workload_cpu, 1, 1, 1.0, 1.0, 1.0);
    char buf[VERDICT_SIZE];
    verdict_versus(&all, &one, buf, sizeof buf);
    assert_lacks(buf, "only parallelism");
    assert_contains(buf, "--tasks 2");
}

Test(verdict_versus, cpu_faster_on_1_cpu_is_flagged_as_noise)
{
    struct comparison all = make(&workload_cpu, 2, 2, 2.0, 1.0, 1.0);
    struct comparison one = make(&workload_cpu, 2, 1, 2.0, 1.25, 1.25);
    char buf[VERDICT_SIZE];
    verdict_versus(&all, &one, buf, sizeof buf);
    assert_lacks(buf, "only parallelism");
    assert_contains(buf, "1.60x on 1 CPU?!");
}

Test(verdict_versus, a_speedup_printed_as_0_00x_is_judged)
{
    struct comparison all = make(&workload_cpu, 2, 2, 0.0001, 0.0002, 0.03);
    struct comparison one = make(&workload_cpu, 2, 1, 0.0001, 0.0001, 0.03);
    char buf[VERDICT_SIZE];
    verdict_versus(&all, &one, buf, sizeof buf);
    assert_lacks(buf, "no speedup to judge");
    assert_contains(buf, "0.00x on 1 CPU");
}

Test(verdict_versus, without_sequential_there_is_nothing_to_judge)
{
    struct comparison all = make(&workload_sleep, 10, 2, 0.0, 1.0, 1.0);
    struct comparison one = make(&workload_sleep, 10, 1, 10.0, 1.0, 1.0);
    char buf[VERDICT_SIZE];
    verdict_versus(&all, &one, buf, sizeof buf);
    assert_contains(buf, "no speedup to judge");
    assert_lacks(buf, "concurrency is enough");
}

/* ---- verdict_single -------------------------------------------------------- */

Test(verdict_single, sleep_near_ideal_overlapped)
{
    struct comparison c = make(&workload_sleep, 10, 1, 10.0, 1.0, 1.05);
    char buf[VERDICT_SIZE];
    verdict_single(&c, buf, sizeof buf);
    assert_contains(buf, "sleep: 9.52x on 1 CPU (ideal 10x)");
    assert_contains(buf, "overlapped");
}

Test(verdict_single, sleep_far_from_ideal_says_so)
{
    struct comparison c = make(&workload_sleep, 10, 2, 10.0, 10.0 / 3.0, 10.0 / 3.0);
    char buf[VERDICT_SIZE];
    verdict_single(&c, buf, sizeof buf);
    assert_contains(buf, "only 3.00x of an ideal 10x");
    assert_lacks(buf, "overlapped");
}

Test(verdict_single, cpu_on_1_cpu_is_no_speedup)
{
    struct comparison c = make(&workload_cpu, 4, 1, 4.0, 4.0, 4.0);
    char buf[VERDICT_SIZE];
    verdict_single(&c, buf, sizeof buf);
    assert_contains(buf, "cpu: 1.00x on 1 CPU");
    assert_contains(buf, "no speedup");
}

Test(verdict_single, cpu_near_ideal_computed_in_parallel)
{
    struct comparison c = make(&workload_cpu, 2, 2, 3.9, 2.0, 2.0);
    char buf[VERDICT_SIZE];
    verdict_single(&c, buf, sizeof buf);
    assert_contains(buf, "cpu: 1.95x on 2 CPUs (ideal 2x)");
    assert_contains(buf, "in parallel");
}

Test(verdict_single, cpu_on_busy_machine_blames_other_programs)
{
    struct comparison c = make(&workload_cpu, 2, 2, 2.4, 2.0, 2.0);
    char buf[VERDICT_SIZE];
    verdict_single(&c, buf, sizeof buf);
    assert_contains(buf, "only 1.20x of an ideal 2x on 2 CPUs");
    assert_lacks(buf, "in parallel");
}

Test(verdict_single, without_sequential_there_is_nothing_to_judge)
{
    struct comparison c = make(&workload_cpu, 2, 2, 0.0, 1.0, 1.0);
    char buf[VERDICT_SIZE];
    verdict_single(&c, buf, sizeof buf);
    assert_contains(buf, "no speedup to judge");
}

/* On a loaded machine a strategy can come out under 0.01x: printed as
 * 0.00x, it is still a speedup to judge, not a missing one. */
Test(verdict_single, a_speedup_printed_as_0_00x_is_judged)
{
    struct comparison c = make(&workload_cpu, 2, 2, 0.0001, 0.0002, 0.03); /* processes 0.0033x */
    char buf[VERDICT_SIZE];
    verdict_single(&c, buf, sizeof buf);
    assert_lacks(buf, "no speedup to judge");
    assert_contains(buf, "only 0.00x of an ideal 2x");
}

Test(verdict_single, fits_a_small_buffer)
{
    struct comparison c = make(&workload_sleep, 10, 2, 10.0, 1.0, 1.0);
    char buf[16];
    memset(buf, 'x', sizeof buf);
    verdict_single(&c, buf, sizeof buf);
    cr_assert_eq(strlen(buf), sizeof buf - 1);
    cr_assert_eq(strncmp(buf, "sleep: 10.00x o", sizeof buf - 1), 0, "%s", buf);
}

/* ---- verdict_speedup -------------------------------------------------------- */

Test(verdict_speedup, is_the_lower_of_threads_and_processes)
{
    struct comparison c = make(&workload_cpu, 4, 4, 8.0, 2.0, 4.0); /* threads 4x, processes 2x */
    cr_assert_float_eq(verdict_speedup(&c), 2.0, 1e-12);
    c = make(&workload_cpu, 4, 4, 8.0, 4.0, 2.0); /* threads 2x, processes 4x */
    cr_assert_float_eq(verdict_speedup(&c), 2.0, 1e-12);
}

Test(verdict_speedup, ignores_sequential)
{
    /* sequential's own 1x is lower, but it could not have sped anything up */
    struct comparison c = make(&workload_sleep, 10, 2, 10.0, 1.0, 2.0);
    cr_assert_float_eq(verdict_speedup(&c), 5.0, 1e-12);
}

Test(verdict_speedup, with_only_threads_is_threads_speedup)
{
    struct comparison c = make(&workload_sleep, 10, 2, 10.0, 1.25, 0.0);
    cr_assert_float_eq(verdict_speedup(&c), 8.0, 1e-12);
}

Test(verdict_speedup, is_zero_without_sequential_or_without_others)
{
    struct comparison no_sequential = make(&workload_cpu, 2, 2, 0.0, 1.0, 1.0);
    struct comparison only_sequential = make(&workload_cpu, 2, 2, 2.0, 0.0, 0.0);
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
    struct comparison c = make(&workload_sleep, 10, 2, 10.0, 1.0, 1.0);
    cr_assert_float_eq(harness_ideal_speedup(&c, harness_find(&c, "threads")), 10.0, 1e-12);
    cr_assert_float_eq(harness_ideal_speedup(&c, harness_find(&c, "processes")), 10.0, 1e-12);
    cr_assert_float_eq(harness_ideal_speedup(&c, harness_find(&c, "sequential")), 1.0, 1e-12);
}

Test(ideal_speedup, sleep_does_not_depend_on_cpus)
{
    struct comparison c = make(&workload_sleep, 10, 1, 10.0, 1.0, 1.0);
    cr_assert_float_eq(harness_ideal_speedup(&c, harness_find(&c, "threads")), 10.0, 1e-12);
}

Test(ideal_speedup, cpu_is_min_of_tasks_and_cpus_for_threads)
{
    struct comparison more_tasks = make(&workload_cpu, 10, 2, 10.0, 5.0, 5.0);
    struct comparison more_cpus = make(&workload_cpu, 3, 8, 3.0, 1.0, 1.0);
    cr_assert_float_eq(harness_ideal_speedup(&more_tasks, harness_find(&more_tasks, "threads")), 2.0, 1e-12);
    cr_assert_float_eq(harness_ideal_speedup(&more_cpus, harness_find(&more_cpus, "threads")), 3.0, 1e-12);
    cr_assert_float_eq(harness_ideal_speedup(&more_cpus, harness_find(&more_cpus, "processes")), 3.0, 1e-12);
}

Test(ideal_speedup, cpu_is_1_for_sequential)
{
    struct comparison c = make(&workload_cpu, 10, 2, 10.0, 5.0, 5.0);
    cr_assert_float_eq(harness_ideal_speedup(&c, harness_find(&c, "sequential")), 1.0, 1e-12);
}

Test(ideal_speedup, cpu_is_1_for_a_strategy_that_only_overlaps_waiting)
{
    struct comparison c = make(&workload_cpu, 10, 2, 10.0, 0.0, 0.0);
    struct measurement m = {.strategy = &waits_only_strategy, .wall = 10.0};
    cr_assert_float_eq(harness_ideal_speedup(&c, &m), 1.0, 1e-12);
    c.workload.kind = &workload_sleep;
    cr_assert_float_eq(harness_ideal_speedup(&c, &m), 10.0, 1e-12);
}

Test(harness_speedup, is_sequential_wall_over_this_wall)
{
    struct comparison c = make(&workload_cpu, 2, 2, 3.0, 1.5, 2.0);
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
    static const struct strategy shares = {
        .name = "shares", .computes_in_parallel = true, .workers = STRATEGY_WORKERS_FIXED};
    struct comparison c = make(&workload_cpu, ntasks, cpus, 3.0, 0.0, 0.0);
    c.strategy_context.workers = workers;
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

/* ---- the causes, each from its own measurement ------------------------------ */

/* Sets what else took the CPUs during the runs of result `i`. */
static void set_load(struct comparison *c, size_t i, double others_cpu, double steal, long throttled)
{
    struct measurement *m = &c->results[i];
    m->wall_total = m->wall * m->runs;
    m->load = (struct load){.others_cpu = others_cpu,
                            .steal = steal,
                            .throttled_periods = throttled,
                            .throttled = throttled * 0.01,
                            .cpus_known = true};
}

Test(verdict_cause, a_quota_of_one_cpu_is_named_and_sets_the_ideal)
{
    struct comparison c = make(&workload_cpu, 2, 2, 2.0, 1.94, 1.94);
    c.quota = 1.0;
    set_load(&c, 1, 0.0, 0.0, 52);
    cr_assert_float_eq(harness_ideal_speedup(&c, &c.results[1]), 1.0, 1e-9, "the quota, not the 2 CPUs");
    char buf[VERDICT_SIZE];
    verdict_single(&c, buf, sizeof buf);
    assert_contains(buf, "(ideal 1x)");
    assert_contains(buf, "the CPU quota allows 1.0 CPUs' worth: throttled 52 times");
    assert_lacks(buf, "other programs");
    assert_lacks(buf, "in parallel");
}

Test(verdict_cause, the_quota_comes_before_other_programs)
{
    struct comparison c = make(&workload_cpu, 4, 4, 4.0, 2.8, 2.8);
    c.quota = 1.5;
    set_load(&c, 1, 2.0, 0.0, 10);
    char why[VERDICT_SIZE];
    cr_assert_eq(verdict_cause(&c, why, sizeof why), CAUSE_QUOTA, "%s", why);
}

Test(verdict_cause, other_programs_are_named_with_what_they_took)
{
    struct comparison c = make(&workload_cpu, 2, 2, 2.4, 2.0, 2.0);
    set_load(&c, 1, 2.4, 0.0, -1); /* 2.4 s of others over 3 runs of 2 s: 0.40 CPUs */
    char buf[VERDICT_SIZE];
    verdict_single(&c, buf, sizeof buf);
    assert_contains(buf, "only 1.20x of an ideal 2x");
    assert_contains(buf, "other programs took 0.40 CPUs during threads (/proc/stat)");
}

Test(verdict_cause, a_tick_of_others_is_not_blamed)
{
    struct comparison c = make(&workload_cpu, 2, 2, 0.2, 0.1, 0.1);
    set_load(&c, 1, 0.02, 0.0, -1); /* two ticks: within /proc/stat's resolution */
    char why[VERDICT_SIZE];
    cr_assert_neq(verdict_cause(&c, why, sizeof why), CAUSE_OTHERS, "%s", why);
}

Test(verdict_cause, steal_is_named_after_other_programs)
{
    struct comparison c = make(&workload_cpu, 2, 2, 2.4, 2.0, 2.0);
    set_load(&c, 2, 0.0, 0.9, -1);
    char why[VERDICT_SIZE];
    cr_assert_eq(verdict_cause(&c, why, sizeof why), CAUSE_STEAL, "%s", why);
    assert_contains(why, "steal");
}

Test(verdict_cause, tiny_tasks_are_too_short_for_their_start_up)
{
    struct comparison c = make(&workload_cpu, 2, 2, 0.0001, 0.0001, 0.0003);
    c.workload.seconds = 0.00005;
    char buf[VERDICT_SIZE];
    verdict_single(&c, buf, sizeof buf);
    assert_contains(buf, "are short: starting 2 workers");
    assert_lacks(buf, "other programs");
}

Test(verdict_cause, more_tasks_than_cores_share_hyper_threads)
{
    struct comparison c = make(&workload_cpu, 16, 16, 16.0, 1.6, 1.6); /* 10x of 16 */
    c.cores = 8;
    char buf[VERDICT_SIZE];
    verdict_single(&c, buf, sizeof buf);
    assert_contains(buf, "only 10.00x of an ideal 16x");
    assert_contains(buf, "16 tasks on 8 cores: 2 threads share a core, expect 8.0-10.4x");
}

/* A hybrid laptop: 6 hyper-threaded performance cores (12 CPUs) and 8
 * efficiency cores. With 20 tasks, 8 ran on the slower cores: named before
 * the hyper-threads. */
Test(verdict_cause, tasks_on_efficiency_cores_are_named_before_hyper_threads)
{
    struct comparison c = make(&workload_cpu, 20, 20, 20.0, 2.0, 2.0); /* 10x of 20 */
    c.cores = 14;
    c.efficiency = 8;
    char buf[VERDICT_SIZE];
    verdict_single(&c, buf, sizeof buf);
    assert_contains(buf, "only 10.00x of an ideal 20x");
    assert_contains(buf, "8 of these 20 CPUs are efficiency cores: slower, so expect less");
    c.ntasks = 12; /* as many as the performance CPUs: none need the slower cores */
    cr_expect_neq(verdict_cause(&c, buf, sizeof buf), CAUSE_EFFICIENCY, "%s", buf);
}

Test(verdict_cause, tasks_needing_more_cpu_time_than_alone_mean_a_slower_clock)
{
    struct comparison c = make(&workload_cpu, 2, 2, 2.0, 1.2, 1.2);
    struct span alone[2] = {{.cpu = 1.0}, {.cpu = 1.0}}, together[2] = {{.cpu = 1.2}, {.cpu = 1.2}};
    c.results[0].spans = alone;
    c.results[1].spans = together;
    c.results[2].spans = together;
    char why[VERDICT_SIZE];
    cr_assert_eq(verdict_cause(&c, why, sizeof why), CAUSE_SLOWER_CLOCK, "%s", why);
    assert_contains(why, "threads tasks took 20% more CPU time than alone");
}

Test(verdict_cause, a_task_waiting_for_a_cpu_in_every_run_is_named)
{
    struct comparison c = make(&workload_cpu, 2, 2, 2.0, 1.3, 1.0);
    c.results[1].disturbed = DISTURB_WAITED; /* no run of threads was fair */
    char why[VERDICT_SIZE], buf[VERDICT_SIZE];
    cr_assert_eq(verdict_cause(&c, why, sizeof why), CAUSE_WAITED, "%s", why);
    assert_contains(why, "in each of its 3 runs a threads task waited for a CPU");
    verdict_single(&c, buf, sizeof buf);
    assert_contains(buf, "only 1.53x of an ideal 2x");
    assert_contains(buf, "waited for a CPU");
}

Test(verdict_row_flags, a_row_whose_runs_were_all_disturbed_says_how)
{
    struct comparison c = make(&workload_cpu, 2, 2, 2.0, 1.0, 1.0);
    cr_assert_eq(verdict_row_flags(&c, &c.results[1]), 0u);
    c.results[1].disturbed = DISTURB_WAITED | DISTURB_SLOWED;
    cr_assert_eq(verdict_row_flags(&c, &c.results[1]), (unsigned)(FLAG_WAITED | FLAG_SLOWED));
    c.results[2].disturbed = DISTURB_LATE;
    cr_assert_eq(verdict_row_flags(&c, &c.results[2]), (unsigned)FLAG_LATE);
}

Test(verdict_cause, nothing_measured_says_so_instead_of_guessing)
{
    struct comparison c = make(&workload_cpu, 2, 2, 2.4, 2.0, 2.0);
    char buf[VERDICT_SIZE];
    verdict_single(&c, buf, sizeof buf);
    assert_contains(buf, "nothing measured explains it");
    assert_lacks(buf, "other programs");
}

/* ---- rows the machine cannot produce ---------------------------------------- */

Test(verdict_impossible_row, sleep_above_its_ideal_is_not_the_lesson)
{
    struct comparison c = make(&workload_sleep, 10, 1, 10.0, 0.51, 1.0); /* threads 19.6x of 10x */
    char buf[VERDICT_SIZE];
    verdict_single(&c, buf, sizeof buf);
    assert_contains(buf, "threads 19.60x on 1 CPU?! (ideal 10x)");
    assert_contains(buf, "not the lesson");
    assert_lacks(buf, "overlapped");
}

Test(verdict_impossible_row, computing_faster_on_one_cpu_is_flagged)
{
    struct comparison c = make(&workload_cpu, 2, 1, 0.2, 0.2, 0.152); /* processes 1.31x */
    char row[VERDICT_SIZE];
    cr_assert(verdict_impossible_row(&c, row, sizeof row));
    assert_contains(row, "processes 1.31x on 1 CPU");
}

Test(verdict_impossible_row, a_little_over_ideal_within_the_spread_is_fine)
{
    struct comparison c = make(&workload_cpu, 2, 2, 2.0, 0.98, 1.0); /* threads 2.04x: eff 102 % */
    char row[VERDICT_SIZE];
    cr_assert_not(verdict_impossible_row(&c, row, sizeof row), "%s", row);
    c.results[1].wall = 0.9; /* 2.22x: eff 111 %, runs spread 0 */
    cr_assert(verdict_impossible_row(&c, row, sizeof row));
    c.results[1].wall_min = 0.85; /* now the runs themselves spread over 17 % */
    c.results[1].wall_max = 1.0;
    cr_assert_not(verdict_impossible_row(&c, row, sizeof row), "%s", row);
}

/* Over a grid of speedups, a verdict that states the lesson never sits
 * under a row that contradicts it. */
Test(verdict_single, never_contradicts_its_table)
{
    for (int t = 5; t <= 30; t++)
        for (int p = 5; p <= 30; p++) {
            double threads = t / 10.0, processes = p / 10.0;
            struct comparison c = make(&workload_cpu, 2, 2, 2.0, 2.0 / threads, 2.0 / processes);
            char buf[VERDICT_SIZE];
            verdict_single(&c, buf, sizeof buf);
            if (strstr(buf, "computed in parallel") == NULL)
                continue;
            for (size_t i = 1; i < c.count; i++) {
                double eff = harness_speedup(&c, &c.results[i]) / harness_ideal_speedup(&c, &c.results[i]);
                cr_assert(eff >= VERDICT_LESSON_EFFICIENCY - 1e-9 && eff <= 1.0 + VERDICT_PINNED_BAND + 1e-9,
                          "threads %.1fx, processes %.1fx: \"%s\" under a row at %.0f%%", threads, processes,
                          buf, 100 * eff);
            }
        }
}

Test(verdict_versus, cpu_pinned_to_a_quota_of_one_cpu_names_the_quota)
{
    struct comparison all = make(&workload_cpu, 2, 2, 2.0, 1.96, 1.96);
    struct comparison one = make(&workload_cpu, 2, 1, 2.0, 2.0, 2.0);
    all.quota = one.quota = 1.0;
    set_load(&all, 1, 0.0, 0.0, 40);
    char buf[VERDICT_SIZE];
    verdict_versus(&all, &one, buf, sizeof buf);
    assert_lacks(buf, "only parallelism");
    assert_contains(buf, "CPU quota");
}

/* ---- verdict_gil ----------------------------------------------------------- */

/* `c` with a threads+gil row of wall time `gil_wall` added. */
static struct comparison with_gil(struct comparison c, double gil_wall)
{
    c.results[c.count] = c.results[1];
    c.results[c.count].strategy = &strategy_threads_gil;
    c.results[c.count].wall = c.results[c.count].wall_min = c.results[c.count].wall_max = gil_wall;
    c.count++;
    return c;
}

Test(verdict_gil, one_lock_one_thread_when_processes_reach_the_cpus)
{
    struct comparison sleeping = with_gil(make(&workload_sleep, 10, 2, 10.0, 1.0, 1.02), 1.01);
    struct comparison computing = with_gil(make(&workload_cpu, 2, 2, 2.0, 1.02, 1.03), 2.02);
    char sleep_buf[VERDICT_SIZE], cpu_buf[VERDICT_SIZE];
    verdict_gil(&sleeping, &computing, sleep_buf, cpu_buf, VERDICT_SIZE);
    assert_contains(sleep_buf, "waits still overlap");
    assert_contains(cpu_buf, "one lock, one computing thread");
    assert_contains(cpu_buf, "processes 1.94x");
}

Test(verdict_gil, no_lesson_from_the_lock_alone_when_processes_fall_short)
{
    struct comparison sleeping = with_gil(make(&workload_sleep, 10, 2, 10.0, 1.0, 1.02), 1.01);
    struct comparison computing = with_gil(make(&workload_cpu, 2, 2, 2.0, 1.05, 1.25), 2.02);
    char sleep_buf[VERDICT_SIZE], cpu_buf[VERDICT_SIZE];
    verdict_gil(&sleeping, &computing, sleep_buf, cpu_buf, VERDICT_SIZE);
    assert_lacks(cpu_buf, "one lock, one computing thread");
    assert_contains(cpu_buf, "without the lock only 1.60x of 2x");
}

Test(verdict_gil, over_1x_under_the_lock_is_never_the_lesson)
{
    struct comparison sleeping = with_gil(make(&workload_sleep, 10, 2, 10.0, 1.0, 1.02), 1.01);
    struct comparison computing = with_gil(make(&workload_cpu, 2, 2, 2.0, 1.02, 1.03), 1.5);
    char sleep_buf[VERDICT_SIZE], cpu_buf[VERDICT_SIZE];
    verdict_gil(&sleeping, &computing, sleep_buf, cpu_buf, VERDICT_SIZE);
    assert_lacks(cpu_buf, "one lock, one computing thread");
    assert_contains(cpu_buf, "?!");
}

Test(verdict_gil, a_gil_speedup_printed_as_0_00x_is_judged)
{
    struct comparison sleeping = with_gil(make(&workload_sleep, 10, 2, 10.0, 1.0, 1.02), 3000.0);
    struct comparison computing = with_gil(make(&workload_cpu, 2, 2, 2.0, 1.02, 1.03), 2.02);
    char sleep_buf[VERDICT_SIZE], cpu_buf[VERDICT_SIZE];
    verdict_gil(&sleeping, &computing, sleep_buf, cpu_buf, VERDICT_SIZE);
    assert_lacks(sleep_buf, "nothing to judge");
    assert_contains(sleep_buf, "threads+gil only 0.00x of 10x");
    assert_contains(cpu_buf, "one lock, one computing thread");
}

Test(verdict_gil, nothing_to_judge_without_a_gil_row)
{
    struct comparison sleeping = make(&workload_sleep, 10, 2, 10.0, 1.0, 1.02);
    struct comparison computing = make(&workload_cpu, 2, 2, 2.0, 1.02, 1.03);
    char sleep_buf[VERDICT_SIZE], cpu_buf[VERDICT_SIZE];
    verdict_gil(&sleeping, &computing, sleep_buf, cpu_buf, VERDICT_SIZE);
    assert_contains(sleep_buf, "nothing to judge");
}

Test(verdict_gil, never_contradicts_its_table)
{
    struct comparison sleeping = with_gil(make(&workload_sleep, 10, 2, 10.0, 1.0, 1.02), 1.01);
    for (int p = 10; p <= 21; p++)
        for (int g = 80; g <= 130; g += 5) {
            double processes = p / 10.0, gil = g / 100.0;
            struct comparison computing =
                with_gil(make(&workload_cpu, 2, 2, 2.0, 1.0, 2.0 / processes), 2.0 / gil);
            char sleep_buf[VERDICT_SIZE], cpu_buf[VERDICT_SIZE];
            verdict_gil(&sleeping, &computing, sleep_buf, cpu_buf, VERDICT_SIZE);
            if (strstr(cpu_buf, "one lock, one computing thread") == NULL)
                continue;
            cr_assert(processes >= 2 * VERDICT_LESSON_EFFICIENCY - 1e-9, "processes %.1fx: \"%s\"", processes,
                      cpu_buf);
            cr_assert(gil <= 1.0 + VERDICT_PINNED_BAND + 1e-9, "threads+gil %.2fx: \"%s\"", gil, cpu_buf);
        }
}

/* ---- race: the shared counter's verdicts --------------------------------- */

/* A counting comparison of 2 tasks on 2 CPUs, each row's median count and
 * how many of its 3 runs were wrong. */
static struct comparison counting(const struct workload_kind *kind, double seq, double threads,
                                  double processes)
{
    struct comparison c = make(kind, 2, 2, seq, threads, processes);
    c.expected_result = 1000;
    for (size_t i = 0; i < c.count; i++)
        c.results[i].result = 1000;
    return c;
}

static void counted(struct comparison *c, const char *name, uint64_t result, int wrong)
{
    struct measurement *m = (struct measurement *)harness_find(c, name);
    cr_assert_not_null(m);
    m->result = result;
    m->wrong_results = wrong;
}

Test(verdict_race, lost_additions_are_named_per_row)
{
    struct comparison c = counting(&counter_unsynchronized, 1.0, 1.0, 1.0);
    counted(&c, "threads", 570, 3);
    counted(&c, "processes", 1000, 1); /* the median run was right, one run was not */
    char buf[VERDICT_SIZE];
    verdict_race_lost(&c, buf, sizeof buf);
    assert_contains(buf, "threads 43%");
    assert_contains(buf, "processes some in 1 of 3 runs");
    assert_contains(buf, "three steps");
}

Test(verdict_race, no_lost_addition_says_the_race_hid)
{
    struct comparison c = counting(&counter_unsynchronized, 1.0, 1.0, 1.0);
    char buf[VERDICT_SIZE];
    verdict_race_lost(&c, buf, sizeof buf);
    assert_contains(buf, "threads none, processes none");
    assert_contains(buf, "barely overlapped");
    assert_lacks(buf, "three steps");
}

Test(verdict_race, per_task_scaling_and_taking_turns)
{
    struct comparison mutex = counting(&counter_mutex, 1.0, 1.25, 1.3);       /* threads 0.80x */
    struct comparison atomic = counting(&counter_atomic, 1.0, 0.95, 0.9);     /* 1.05x */
    struct comparison per_task = counting(&counter_per_task, 1.0, 0.51, 0.5); /* 1.96x */
    char buf[VERDICT_SIZE];
    verdict_race_cost(&mutex, &atomic, &per_task, buf, sizeof buf);
    assert_contains(buf, "threads: mutex 0.80x, atomic 1.05x, per-task 1.96x with 2 tasks");
    assert_contains(buf, "take turns");
}

Test(verdict_race, per_task_short_of_its_ideal_is_not_called_scaling)
{
    struct comparison mutex = counting(&counter_mutex, 1.0, 1.25, 1.3);
    struct comparison atomic = counting(&counter_atomic, 1.0, 0.95, 0.9);
    struct comparison per_task = counting(&counter_per_task, 1.0, 0.8, 0.8); /* 1.25x of 2x */
    char buf[VERDICT_SIZE];
    verdict_race_cost(&mutex, &atomic, &per_task, buf, sizeof buf);
    assert_contains(buf, "per-task short of its 2x");
    assert_lacks(buf, "take turns");
}

Test(verdict_race, on_one_cpu_nothing_is_claimed_to_speed_up)
{
    struct comparison mutex = counting(&counter_mutex, 1.0, 1.1, 1.1);
    struct comparison atomic = counting(&counter_atomic, 1.0, 1.0, 1.0);
    struct comparison per_task = counting(&counter_per_task, 1.0, 1.0, 1.0);
    mutex.cpus.count = atomic.cpus.count = per_task.cpus.count = 1;
    char buf[VERDICT_SIZE];
    verdict_race_cost(&mutex, &atomic, &per_task, buf, sizeof buf);
    assert_contains(buf, "on 1 CPU no way speeds up");
}

Test(verdict_race, serial_fraction_over_one_is_slower_than_alone)
{
    struct comparison mutex = counting(&counter_mutex, 1.0, 2.5, 2.6);    /* threads 0.40x: e = 4 */
    struct comparison atomic = counting(&counter_atomic, 1.0, 1.25, 1.3); /* 0.80x: e = 1.5 */
    char buf[VERDICT_SIZE];
    verdict_race_serial(&mutex, &atomic, buf, sizeof buf);
    assert_contains(buf, "threads: serial fraction (Karp-Flatt) mutex 4.00, atomic 1.50");
    assert_contains(buf, "slower than one task alone");
}

Test(verdict_race, serial_fraction_under_one_is_amdahls_f)
{
    struct comparison mutex = counting(&counter_mutex, 1.0, 0.8, 0.8);   /* 1.25x: e = 0.6 */
    struct comparison atomic = counting(&counter_atomic, 1.0, 0.6, 0.6); /* 1.67x: e = 0.2 */
    char buf[VERDICT_SIZE];
    verdict_race_serial(&mutex, &atomic, buf, sizeof buf);
    assert_contains(buf, "mutex 0.60, atomic 0.20");
    assert_contains(buf, "serial section");
    struct comparison slower = counting(&counter_mutex, 1.0, 2.5, 2.6); /* e = 4 beside the atomic's 0.2 */
    verdict_race_serial(&slower, &atomic, buf, sizeof buf);
    assert_contains(buf, "over 1: slower than one task alone; under 1");
    mutex.cpus.count = atomic.cpus.count = 1;
    verdict_race_serial(&mutex, &atomic, buf, sizeof buf);
    assert_contains(buf, "on 1 CPU");
}

Test(verdict_race, pinned_losses_are_counted_in_runs)
{
    struct comparison pinned = counting(&counter_unsynchronized, 0.0, 1.0, 0.0);
    pinned.results[0].runs = 10;
    char buf[VERDICT_SIZE];
    verdict_race_pinned(&pinned, buf, sizeof buf);
    assert_contains(buf, "no addition lost in 10 runs");
    counted(&pinned, "threads", 640, 4);
    verdict_race_pinned(&pinned, buf, sizeof buf);
    assert_contains(buf, "additions lost in 4 of 10 runs");
    assert_contains(buf, "only concurrency");
}

Test(verdict_race, processes_on_private_memory_count_nothing_in_the_parent)
{
    struct comparison c = counting(&counter_private, 0.0, 1.0, 1.0);
    counted(&c, "processes", 0, 3);
    char buf[VERDICT_SIZE];
    verdict_race_private(&c, buf, sizeof buf);
    assert_contains(buf, "processes counted 0 of 1000, threads all of them");
    assert_contains(buf, "share nothing");
    counted(&c, "processes", 1000, 0);
    verdict_race_private(&c, buf, sizeof buf);
    assert_contains(buf, "not the lesson");
}

/* ---- false_sharing ---------------------------------------------------------- */

/* Padded and adjacent with threads at these walls, on `cpus` CPUs. */
static void layouts(double padded, double adjacent, size_t cpus, struct comparison *p, struct comparison *a)
{
    double sequential = cpus >= 2 ? 2 * padded : padded; /* pinned, threads take turns: 1x */
    *p = make(&counter_per_task, 2, cpus, sequential, padded, 0.0);
    *a = make(&counter_adjacent, 2, cpus, cpus >= 2 ? sequential : adjacent, adjacent, 0.0);
}

Test(verdict_false_sharing, slower_on_two_cpus_and_alike_on_one_is_false_sharing)
{
    struct comparison pa, aa, po, ao;
    layouts(0.1, 0.42, 2, &pa, &aa);
    layouts(0.2, 0.2, 1, &po, &ao);
    char buf[VERDICT_SIZE];
    verdict_false_sharing(&pa, &aa, &po, &ao, buf, sizeof buf);
    assert_contains(buf, "adjacent 4.20x the time of padded on 2 CPUs, 1.00x on 1 CPU");
    assert_contains(buf, "false sharing");
}

Test(verdict_false_sharing, alike_on_two_cpus_is_not_called_false_sharing)
{
    struct comparison pa, aa, po, ao;
    layouts(0.1, 0.105, 2, &pa, &aa);
    layouts(0.2, 0.2, 1, &po, &ao);
    char buf[VERDICT_SIZE];
    verdict_false_sharing(&pa, &aa, &po, &ao, buf, sizeof buf);
    assert_contains(buf, "no false sharing measured");
    assert_lacks(buf, "back and forth");
}

Test(verdict_false_sharing, slower_on_one_cpu_too_is_not_the_lesson)
{
    struct comparison pa, aa, po, ao;
    layouts(0.1, 0.42, 2, &pa, &aa);
    layouts(0.2, 0.5, 1, &po, &ao);
    char buf[VERDICT_SIZE];
    verdict_false_sharing(&pa, &aa, &po, &ao, buf, sizeof buf);
    assert_contains(buf, "not the lesson");
}

Test(verdict_false_sharing, an_impossible_pinned_row_keeps_the_lessons_label)
{
    struct comparison pa, aa, po, ao;
    layouts(0.1, 0.42, 2, &pa, &aa);
    layouts(0.2, 0.2, 1, &po, &ao);
    ao = make(&counter_adjacent, 2, 1, 0.2, 0.225, 0.0); /* pinned threads 0.88x: noise, not a lesson */
    char buf[VERDICT_SIZE];
    verdict_false_sharing(&pa, &aa, &po, &ao, buf, sizeof buf);
    /* the label the notes' check compares stays "threads:" */
    assert_contains(buf, "threads: adjacent threads 0.88x on 1 CPU?!");
    assert_contains(buf, "not the lesson");
}

Test(verdict_false_sharing, on_one_cpu_alone_it_says_two_are_needed)
{
    struct comparison pa, aa, po, ao;
    layouts(0.2, 0.2, 1, &pa, &aa);
    layouts(0.2, 0.2, 1, &po, &ao);
    char buf[VERDICT_SIZE];
    verdict_false_sharing(&pa, &aa, &po, &ao, buf, sizeof buf);
    assert_contains(buf, "needs two CPUs");
}
