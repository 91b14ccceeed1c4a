/*
 * race: tasks that share one counter. Each of N tasks (one per CPU, at
 * least 2) adds 1 to the same counter M times, in four ways (lib/counter.c):
 * unsynchronized (load, add, store, as `counter++` compiles), under a
 * mutex, with one atomic add, and per task (a counter each, added up at the
 * end); one after another, with threads and with processes that share the
 * counter in memory mapped before fork(). Then processes whose counter is
 * in ordinary memory, and the unsynchronized way pinned to one CPU.
 *
 * Usage: race [--tasks N] [--seconds S] [--quick] [--json] ...
 *
 * Unsynchronized, tasks that overlap lose additions: the count comes out
 * short, and differently every run. Pinned to one CPU it can too: a race
 * needs only concurrency, not parallelism. The mutex and the atomic count
 * right but make the tasks take turns; only a counter per task speeds up.
 * Processes share nothing unless asked: the parent's counter stays 0. A
 * wrong count is this demo's lesson, not a failure: it exits 0. The ways
 * are add_unsynchronized, add_under_mutex, add_atomically and
 * add_to_own_slot in lib/counter.c; notes/16-race.md walks through a run.
 */
#include "counter.h"
#include "demo.h"
#include "report.h"

#include <inttypes.h>
#include <stdio.h>

#define DEFAULT_SECONDS 0.5  /* one task doing every addition under the mutex */
#define QUICK_SECONDS   0.05 /* the same, --quick */
#define PINNED_RUNS     10   /* runs pinned to one CPU: how often a race shows there */
#define PINNED_SECONDS  0.05 /* each pinned task's additions, unsynchronized: many time slices */
#define PINNED_QUICK    0.02 /* the same, --quick */

static const struct strategy *const strategies[] = {&strategy_sequential, &strategy_threads,
                                                    &strategy_processes, NULL};

static const struct demo_info demo = {
    .name = "race",
    .summary = N_("Tasks that add 1 to one shared counter: unsynchronized, under a mutex, with an\n"
                  "atomic add, and a counter per task; with threads and with processes. Counts that\n"
                  "come out short are the lesson here: the demo exits 0."),
    .note = "notes/16-race.md",
    .default_tasks = 0, /* one per CPU, at least 2 */
    .default_seconds = DEFAULT_SECONDS,
    .quick_tasks = 0,
    .quick_seconds = QUICK_SECONDS,
    .default_strategies = "sequential,threads,processes",
    .harness = true,
    .strategies = strategies,
    .default_tasks_help = N_("one per CPU, at least 2"),
    .seconds_help = N_("work, in seconds of one task with a mutex"),
    .exit_help = N_("0 ok (a wrong count too: the lesson), 1 a failure, 2 bad usage."),
    .no_csv = true, /* several tables */
};

/* The ways to count, in the order of the table. */
static const struct workload_kind *const ways[] = {&counter_unsynchronized, &counter_mutex, &counter_atomic,
                                                   &counter_per_task};
enum { WAYS = sizeof ways / sizeof ways[0], PRIVATE = WAYS, PINNED, COMPARISONS };

/* ---- the table ----------------------------------------------------------- */

static void print_row(const struct comparison *c, const struct measurement *m, bool first)
{
    uint64_t lost = c->expected_result > m->result ? c->expected_result - m->result : 0;
    double speedup = harness_speedup(c, m);
    char speed[16] = "-", check[32] = "ok";
    if (speedup > 0.0)
        snprintf(speed, sizeof speed, "%.2fx", speedup);
    if (m->wrong_results > 0)
        snprintf(check, sizeof check, "WRONG %d/%d", m->wrong_results,
                 m->runs); /* as the column, in English */
    printf("%-14s %-10s %7.3f %8s %11" PRIu64 " %11" PRIu64 "  %s\n", first ? c->workload.kind->name : "",
           m->strategy->name, m->wall, speed, m->result, lost, check);
}

static void print_table(const struct comparison *c, size_t count)
{
    printf("\n");
    printf(_("%zu tasks, each adds 1 to one counter %" PRIu64 " times: %" PRIu64 " in all\n"), c[0].ntasks,
           c[0].workload.units, c[0].expected_result);
    /* The column names stay in English, as in every table (the notes explain them). */
    printf("%-14s %-10s %7s %8s %11s %11s  %s\n", "way", "strategy", "wall s", "speedup", "count", "lost",
           "check");
    for (size_t i = 0; i < count; i++)
        for (size_t r = 0; r < c[i].count; r++)
            print_row(&c[i], &c[i].results[r], r == 0);
}

static void print_pinned(const struct comparison *pinned)
{
    const struct measurement *m = &pinned->results[0];
    printf("\n");
    printf(_("pinned to CPU %d: %zu threads, each adds %" PRIu64 " times unsynchronized:\n"
             "  additions lost in %d of %d runs\n"
             "  the median run counted %" PRIu64 " of %" PRIu64 "\n"),
           pinned->cpus.ids[0], pinned->ntasks, pinned->workload.units, m->wrong_results, m->runs, m->result,
           pinned->expected_result);
}

static void print_legend(void)
{
    printf("\n%s", _("way: how each task adds 1 (lib/counter.c); count: what the counter held\n"
                     "after the median run; lost: additions missing from it; check: ok when every\n"
                     "run counted them all, else WRONG in how many of the runs; speedup: against\n"
                     "sequential, one task at a time doing the same additions the same way.\n"));
}

/* ---- measuring ------------------------------------------------------------ */

/* Every way with the demo's strategies, then threads and processes on a
 * counter in private memory. */
static int measure_ways(const struct options *opts, size_t ntasks, uint64_t units, struct comparison *c)
{
    int status = 0;
    size_t measured = 0;
    for (; measured < WAYS; measured++) {
        struct workload w = {.kind = ways[measured], .units = units};
        if ((status = demo_measure(&demo, opts, ntasks, &w, &c[measured])) != 0)
            break;
    }
    if (status == 0) {
        static const struct strategy *const own_memory[] = {&strategy_threads, &strategy_processes};
        struct workload w = {.kind = &counter_private, .units = units};
        struct harness_plan plan = demo_plan(opts, ntasks, &w);
        plan.strategies = own_memory;
        plan.count = 2;
        if ((status = demo_measure_plan(&demo, &plan, &w, &c[PRIVATE])) == 0)
            return 0;
    }
    for (size_t i = 0; i < measured; i++)
        harness_free(&c[i]);
    return status;
}

/* The unsynchronized way with threads pinned to one CPU, PINNED_RUNS times. */
static int measure_pinned(const struct options *opts, size_t ntasks, struct comparison *out)
{
    struct cpu_list one_cpu = {.count = 1, .ids = {opts->cpus.ids[0]}};
    struct workload w = {.kind = &counter_unsynchronized,
                         .seconds = opts->quick ? PINNED_QUICK : PINNED_SECONDS};
    workload_calibrate(&w);
    int err = machine_pin(&one_cpu);
    if (err != 0)
        return demo_fail(&demo, "sched_setaffinity", err);
    static const struct strategy *const threads[] = {&strategy_threads};
    struct harness_plan plan = demo_plan(opts, ntasks, &w);
    plan.strategies = threads;
    plan.count = 1;
    plan.warmup = 0;
    plan.runs = PINNED_RUNS;
    int status = demo_measure_plan(&demo, &plan, &w, out);
    machine_pin(&opts->cpus); /* back to every CPU we were given */
    return status;
}

int main(int argc, char **argv)
{
    struct options opts;
    struct machine m;
    int status = options_parse(argc, argv, &demo, &opts);
    if (status != OPTIONS_RUN)
        return status;
    if ((status = demo_setup(&demo, &opts, &m)) != 0)
        return status;
    size_t ntasks = demo_sharing_tasks(&opts);
    /* M: one task doing all N x M additions under the mutex takes --seconds. */
    struct workload sizing = {.kind = &counter_mutex, .seconds = opts.seconds / (double)ntasks};
    workload_calibrate(&sizing);

    struct comparison c[COMPARISONS];
    if ((status = measure_ways(&opts, ntasks, sizing.units, c)) != 0)
        return status;
    if ((status = measure_pinned(&opts, ntasks, &c[PINNED])) != 0) {
        for (size_t i = 0; i < PINNED; i++)
            harness_free(&c[i]);
        return status;
    }

    char verdicts[4][VERDICT_SIZE];
    verdict_race_lost(&c[0], verdicts[0], VERDICT_SIZE);
    verdict_race_cost(&c[1], &c[2], &c[3], verdicts[1], VERDICT_SIZE);
    verdict_race_pinned(&c[PINNED], verdicts[2], VERDICT_SIZE);
    verdict_race_private(&c[PRIVATE], verdicts[3], VERDICT_SIZE);
    if (opts.json) {
        report_json(stdout, &demo, &m, c, COMPARISONS, true, verdicts, 4, opts.timeline_json);
    } else {
        report_header(&demo, &opts, &m, &c[0]);
        print_table(c, PINNED);
        bool all = opts.details == DETAILS_ALL;
        if (all)
            print_pinned(&c[PINNED]);
        else /* under the tour: the verdicts on the table's screen (the third is the pinned run's) */
            demo_verdicts(&demo, &opts, verdicts, 4);
        if (demo_show_details(&opts)) {
            if (!all)
                print_pinned(&c[PINNED]);
            print_legend();
        }
        if (all)
            demo_verdicts(&demo, &opts, verdicts, 4);
        report_note(&demo);
    }
    status = demo_write_trace(&demo, &opts, c, COMPARISONS);
    for (size_t i = 0; i < COMPARISONS; i++) {
        if (!harness_checksums_ok(&c[i]))
            status = 1; /* a lost or doubled task, not a lost addition: a bug */
        harness_free(&c[i]);
    }
    return status;
}
