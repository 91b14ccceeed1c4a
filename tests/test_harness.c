/* harness: which runs are fair (harness_disturbance), judged from tasks'
 * spans built by hand; and that harness_compare sets no fair run aside
 * and keeps the runs it was asked for. */
#include "harness.h"

#include <criterion/criterion.h>
#include <string.h>

/* Two tasks of `seconds` each on `cpus` CPUs. */
static struct comparison two_tasks(const struct workload_kind *kind, double seconds, size_t cpus)
{
    struct comparison c;
    memset(&c, 0, sizeof c);
    c.workload = (struct workload){.kind = kind, .seconds = seconds, .units = kind->computes ? 1000 : 0};
    c.ntasks = 2;
    c.cpus.count = cpus;
    for (size_t i = 0; i < cpus; i++)
        c.cpus.ids[i] = (int)i;
    c.cores = (int)cpus;
    c.quota = QUOTA_NONE;
    c.boost = MACHINE_UNKNOWN;
    return c;
}

#define WALL 0.1 /* a run's wall time: no later than its last task's end, unless a test says */

/* Both tasks open from `start` for 0.1 s, each using `cpu` seconds of CPU. */
static void both(struct span spans[2], double start, double cpu)
{
    for (int i = 0; i < 2; i++) /* a thread each */
        spans[i] = (struct span){.start = start, .end = start + 0.1, .cpu = cpu, .pid = 100, .tid = 101 + i};
}

Test(harness_disturbance, two_tasks_each_computing_on_a_cpu_of_its_own_are_fair)
{
    struct comparison c = two_tasks(&workload_cpu, 0.1, 2);
    struct span spans[2];
    both(spans, 0.0, 0.1);
    cr_assert_eq(harness_disturbance(&c, &strategy_threads, spans, WALL, 0.1), 0u);
    cr_assert_eq(harness_disturbance(&c, &strategy_processes, spans, WALL, 0.1), 0u);
}

Test(harness_disturbance, a_task_with_under_95_percent_of_a_cpu_waited)
{
    struct comparison c = two_tasks(&workload_cpu, 0.1, 2);
    struct span spans[2];
    both(spans, 0.0, 0.1);
    spans[1].cpu = 0.09; /* 90 % of its 0.1 s open */
    cr_assert_eq(harness_disturbance(&c, &strategy_threads, spans, WALL, 0.095), (unsigned)DISTURB_WAITED);
}

Test(harness_disturbance, a_pool_worker_is_judged_by_all_its_chunks_together)
{
    struct comparison c = two_tasks(&workload_cpu, 0.001, 2);
    c.ntasks = 50;
    c.strategy_context.workers = 1; /* a pool of one */
    struct span chunks[50];
    for (int i = 0; i < 50; i++) /* each 1 ms chunk lost 40 us to an interrupt: 4 % of the run */
        chunks[i] =
            (struct span){.start = 0.001 * i, .end = 0.001 * (i + 1), .cpu = 0.00096, .pid = 1, .tid = 2};
    cr_assert_eq(harness_disturbance(&c, &strategy_pool, chunks, 0.05, 0.00096), 0u);
    chunks[7].cpu = 0.0008; /* one lost 200 us more: 4.4 % */
    cr_assert_eq(harness_disturbance(&c, &strategy_pool, chunks, 0.05, 0.00096), 0u);
    chunks[8].cpu = 0.0006; /* and another 400 us: 5.2 % of the run */
    cr_assert_eq(harness_disturbance(&c, &strategy_pool, chunks, 0.05, 0.00096), (unsigned)DISTURB_WAITED);
}

Test(harness_disturbance, sharing_is_no_disturbance_where_the_tasks_must_share)
{
    struct span spans[2];
    both(spans, 0.0, 0.05); /* half a CPU each */
    struct comparison one_cpu = two_tasks(&workload_cpu, 0.05, 1);
    cr_assert_eq(harness_disturbance(&one_cpu, &strategy_threads, spans, WALL, 0.05), 0u);
    struct comparison quota = two_tasks(&workload_cpu, 0.05, 2);
    quota.quota = 1.0;
    cr_assert_eq(harness_disturbance(&quota, &strategy_threads, spans, WALL, 0.05), 0u);
    struct comparison gil = two_tasks(&workload_cpu, 0.05, 2); /* they wait for the lock by design */
    cr_assert_eq(harness_disturbance(&gil, &strategy_threads_gil, spans, WALL, 0.05), 0u);
}

Test(harness_disturbance, a_task_starting_after_its_start_up_and_5_percent_started_late)
{
    struct comparison c = two_tasks(&workload_cpu, 0.1, 2);
    struct span spans[2];
    both(spans, 0.0, 0.1);
    spans[1].start = 0.004, spans[1].end = 0.104; /* 2 x 2 x 30 us + 5 ms is the limit */
    cr_assert_eq(harness_disturbance(&c, &strategy_threads, spans, WALL, 0.1), 0u);
    spans[1].start = 0.006, spans[1].end = 0.106;
    cr_assert_eq(harness_disturbance(&c, &strategy_threads, spans, WALL, 0.1), (unsigned)DISTURB_LATE);
}

Test(harness_disturbance, a_run_ending_long_after_its_last_task_ended_late)
{
    struct comparison c = two_tasks(&workload_cpu, 0.1, 2);
    struct span spans[2];
    both(spans, 0.0, 0.1);
    cr_assert_eq(harness_disturbance(&c, &strategy_threads, spans, 0.105, 0.1), 0u);
    cr_assert_eq(harness_disturbance(&c, &strategy_threads, spans, 0.11, 0.1), (unsigned)DISTURB_LATE);
}

Test(harness_disturbance, small_delays_that_add_up_make_a_run_late)
{
    struct comparison c = two_tasks(&workload_cpu, 0.1, 2);
    struct span spans[2];
    for (int i = 0; i < 2; i++) /* started 2 ms late, needed 3 % more CPU: each under its bound */
        spans[i] = (struct span){.start = 0.002, .end = 0.105, .cpu = 0.103, .pid = 100, .tid = 101 + i};
    cr_assert_eq(harness_disturbance(&c, &strategy_threads, spans, 0.105, 0.1), 0u);
    /* 6 ms over one undisturbed task of 0.1 s: more than start-up and 5 % */
    cr_assert_eq(harness_disturbance(&c, &strategy_threads, spans, 0.106, 0.1), (unsigned)DISTURB_LATE);
}

Test(harness_disturbance, fixed_shares_of_one_task_each_start_at_once_like_threads)
{
    /* mpi_cpu's ranks: workers that exist already, a task each */
    static const struct strategy ranks = {
        .name = "mpi", .computes_in_parallel = true, .workers = STRATEGY_WORKERS_FIXED};
    struct comparison c = two_tasks(&workload_cpu, 0.1, 2);
    c.strategy_context.workers = 2;
    struct span spans[2];
    both(spans, 0.0, 0.1);
    cr_assert_eq(harness_disturbance(&c, &ranks, spans, 0.105, 0.1), 0u);
    cr_assert_eq(harness_disturbance(&c, &ranks, spans, 0.109, 0.1), (unsigned)DISTURB_LATE);
    /* with more tasks than workers, a worker's second task starts after its first */
    c.ntasks = 4;
    struct span four[4];
    for (int i = 0; i < 4; i++) { /* ranks 0 and 1 run tasks 0, 1, then 2, 3 */
        double round = i < 2 ? 0.0 : 1.0;
        four[i] =
            (struct span){.start = 0.1 * round, .end = 0.1 * (round + 1.0), .cpu = 0.1, .pid = 100 + i % 2};
    }
    cr_assert_eq(harness_disturbance(&c, &ranks, four, 0.2, 0.1), 0u);
}

Test(harness_disturbance, sequential_starts_its_tasks_one_after_another_by_design)
{
    struct comparison c = two_tasks(&workload_cpu, 0.1, 2);
    struct span spans[2] = {{.start = 0.0, .end = 0.1, .cpu = 0.1, .pid = 100, .tid = 100},
                            {.start = 0.1, .end = 0.2, .cpu = 0.1, .pid = 100, .tid = 100}};
    cr_assert_eq(harness_disturbance(&c, &strategy_sequential, spans, 0.2, 0.1), 0u);
    spans[1].cpu = 0.08; /* but it should have had the CPU all along: 10 % of the run lost */
    cr_assert_eq(harness_disturbance(&c, &strategy_sequential, spans, 0.2, 0.09), (unsigned)DISTURB_WAITED);
}

Test(harness_disturbance, sleeping_runs_are_judged_by_start_and_length_only)
{
    struct comparison c = two_tasks(&workload_sleep, 0.1, 1);
    struct span spans[2];
    both(spans, 0.0, 0.0); /* no CPU at all: sleeping is not waiting for a CPU */
    cr_assert_eq(harness_disturbance(&c, &strategy_threads, spans, WALL, 0.0), 0u);
    cr_assert_eq(harness_disturbance(&c, &strategy_threads, spans, 0.11, 0.0), (unsigned)DISTURB_LATE);
    spans[1].start = 0.02, spans[1].end = 0.12; /* started late */
    cr_assert_eq(harness_disturbance(&c, &strategy_threads, spans, 0.12, 0.0), (unsigned)DISTURB_LATE);
    /* sequential sleeps one task after another: nothing starts at once */
    cr_assert_eq(harness_disturbance(&c, &strategy_sequential, spans, 0.3, 0.0), 0u);
}

Test(harness_disturbance, tasks_needing_over_5_percent_more_cpu_than_the_fastest_were_slowed)
{
    struct comparison c = two_tasks(&workload_cpu, 0.1, 2);
    struct span spans[2];
    both(spans, 0.0, 0.1);
    cr_assert_eq(harness_disturbance(&c, &strategy_threads, spans, WALL, 0.096), 0u); /* 4 % more */
    cr_assert_eq(harness_disturbance(&c, &strategy_threads, spans, WALL, 0.094), (unsigned)DISTURB_SLOWED);
}

Test(harness_disturbance, tasks_taking_turns_on_one_cpu_can_be_slowed_too)
{
    struct comparison c = two_tasks(&workload_cpu, 0.05, 1); /* 1 CPU, 1 core: no hyper-threads */
    struct span spans[2];
    both(spans, 0.0, 0.05); /* each half of the 0.1 s */
    cr_assert_eq(harness_disturbance(&c, &strategy_threads, spans, WALL, 0.05), 0u);
    cr_assert_eq(harness_disturbance(&c, &strategy_threads, spans, WALL, 0.045), (unsigned)DISTURB_SLOWED);
}

Test(harness_disturbance, a_slower_clock_is_expected_with_hyper_threads_or_boost)
{
    struct span spans[2];
    both(spans, 0.0, 0.1);
    struct comparison smt = two_tasks(&workload_cpu, 0.1, 2);
    smt.cores = 1; /* two hyper-threads of one core */
    cr_assert_eq(harness_disturbance(&smt, &strategy_threads, spans, WALL, 0.08), 0u);
    struct comparison boost = two_tasks(&workload_cpu, 0.1, 2);
    boost.boost = 1; /* one busy CPU ran at a higher clock than two */
    cr_assert_eq(harness_disturbance(&boost, &strategy_threads, spans, WALL, 0.08), 0u);
    cr_assert_eq(harness_disturbance(&boost, &strategy_sequential, spans, WALL, 0.08),
                 (unsigned)DISTURB_SLOWED);
}

/* ---- harness_compare, on this machine ----------------------------------- */

/* Sequential and threads, two 2 ms computing tasks, `runs` runs each,
 * judged against `reference` (0: none). */
static struct comparison compare_two_tasks(int runs, double reference)
{
    static const struct strategy *strategies[] = {&strategy_sequential, &strategy_threads};
    struct harness_plan plan = {.strategies = strategies,
                                .count = 2,
                                .ntasks = 2,
                                .warmup = 0,
                                .runs = runs,
                                .reference_task_cpu = reference};
    struct workload w = {.kind = &workload_cpu, .seconds = 0.002};
    workload_calibrate(&w);
    struct comparison c;
    const char *failed = NULL;
    cr_assert_eq(harness_compare(&plan, &w, &c, &failed), 0, "%s", failed);
    return c;
}

Test(harness_compare, keeps_every_run_it_asked_for_and_sets_aside_only_runs_it_counts)
{
    struct comparison c = compare_two_tasks(3, 0.0);
    for (size_t i = 0; i < c.count; i++) {
        const struct measurement *m = &c.results[i];
        cr_assert_geq(m->runs, 3);
        cr_assert_leq(m->runs, 9, "at most 3 x the runs asked for");
        cr_assert_leq(m->set_aside, m->runs - 1, "a median needs a run");
        cr_assert_eq(m->set_aside > 0, m->set_aside_why != 0, "a run set aside has a reason");
        cr_assert_leq(m->wall_min, m->wall);
        cr_assert_leq(m->wall, m->wall_max);
    }
    harness_free(&c);
}

/* A reference no real task can reach (a nanosecond of CPU per task) makes
 * every run look slowed: each strategy gets 3 x its runs, none fair, all
 * kept and flagged. */
Test(harness_compare, a_reference_task_cpu_judges_runs_that_were_all_slowed_alike)
{
    struct comparison c = compare_two_tasks(2, 1e-9);
    for (size_t i = 0; i < c.count; i++) {
        const struct measurement *m = &c.results[i];
        cr_assert_eq(m->runs, 6, "%s: %d runs", m->strategy->name, m->runs);
        cr_assert_eq(m->set_aside, 0, "none was fair: all are kept");
        cr_assert(m->disturbed & DISTURB_SLOWED, "%s: flagged %u", m->strategy->name, m->disturbed);
    }
    harness_free(&c);
}

/* harness_estimate: each strategy's warm-ups and runs, from the plan alone. */
static const struct strategy_context none = {0};

Test(harness_estimate, waiting_overlaps_only_where_the_strategy_can_overlap_it)
{
    const struct strategy *list[] = {&strategy_sequential, &strategy_event_loop, &strategy_threads};
    struct harness_plan plan = {.strategies = list, .count = 3, .ntasks = 10, .warmup = 1, .runs = 3};
    struct workload w = {.kind = &workload_sleep, .seconds = 1.0};
    cr_expect_float_eq(harness_estimate_run(&strategy_sequential, &none, &w, 10, 2.0), 10.0, 1e-9);
    cr_expect_float_eq(harness_estimate_run(&strategy_event_loop, &none, &w, 10, 2.0), 1.0, 1e-9);
    /* threads start one after another: 30 us each */
    cr_expect_float_eq(harness_estimate_run(&strategy_threads, &none, &w, 10, 2.0), 1.0 + 10 * 3e-5, 1e-9);
    cr_expect_float_eq(harness_estimate(&plan, &w, 2.0), 4 * (10.0 + 1.0 + 1.0003), 1e-9);
}

Test(harness_estimate, computing_is_shared_by_the_cpus_and_one_thread_computes_alone)
{
    struct workload w = {.kind = &workload_cpu, .seconds = 0.5};
    cr_expect_float_eq(harness_estimate_run(&strategy_sequential, &none, &w, 4, 2.0), 2.0, 1e-9);
    cr_expect_float_eq(harness_estimate_run(&strategy_event_loop, &none, &w, 4, 2.0), 2.0, 1e-9);
    cr_expect_float_eq(harness_estimate_run(&strategy_threads_gil, &none, &w, 4, 2.0), 2.0 + 4 * 3e-5, 1e-9);
    cr_expect_float_eq(harness_estimate_run(&strategy_threads, &none, &w, 4, 2.0), 1.0 + 4 * 3e-5, 1e-9);
    cr_expect_float_eq(harness_estimate_run(&strategy_threads, &none, &w, 4, 8.0), 0.5 + 4 * 3e-5, 1e-9);
    cr_expect_float_eq(harness_estimate_run(&strategy_threads, &none, &w, 4, 1.5), 4 / 1.5 * 0.5 + 4 * 3e-5,
                       1e-9);
    struct strategy_context three = {.workers = 3};
    cr_expect_float_eq(harness_estimate_run(&strategy_pool, &three, &w, 4, 8.0), 2 * 0.5,
                       1e-9); /* 2 rounds of 3 */
    /* workers left to the machine: one per CPU, here 2 of them for 4 tasks */
    cr_expect_float_eq(harness_estimate_run(&strategy_pool, &none, &w, 4, 2.0), 2 * 0.5, 1e-9);
}

Test(harness_estimate, a_serial_part_comes_before_the_tasks_in_every_run)
{
    struct workload w = {.kind = &workload_cpu, .seconds = 0.5};
    struct workload serial = {.kind = &workload_cpu, .seconds = 0.25};
    struct strategy_context two_and_serial = {.workers = 2, .serial_part = &serial};
    cr_expect_float_eq(harness_estimate_run(&strategy_pool, &two_and_serial, &w, 4, 2.0), 0.25 + 2 * 0.5,
                       1e-9);
}
