/*
 * race: tasks that share one counter. Each of N tasks (one per CPU, at
 * least 2) adds 1 to the same counter M times, in four ways (lib/counter.c):
 * unsynchronized (load, add, store, as `counter++` compiles), under a
 * mutex, with one atomic add, and per task (a counter each, added up at the
 * end); one after another, with threads and with processes that share the
 * counter in memory mapped before fork(). Then processes whose counter is
 * in ordinary memory, and the unsynchronized way pinned to one CPU. The
 * ways differ a hundredfold in what an addition costs, so each makes as
 * many as its threads row does in --seconds; ns/add compares them.
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
#include "stats.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>

#define DEFAULT_SECONDS 0.15 /* each way's threads row: every task at once */
#define QUICK_SECONDS   0.03 /* the same, --quick */
#define PROBE_SHARE     0.1  /* of that, to time it before sizing the work */
#define PROBE_SHORTEST  0.01 /* seconds: the least a task computes in that timing */
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
    .seconds_help = N_("work: seconds of each way's threads row"),
    .exit_help = N_("0 ok (a wrong count too: the lesson), 1 a failure, 2 bad usage."),
    .no_csv = true, /* several tables */
};

/* The ways to count, in the order of the table. */
static const struct workload_kind *const ways[] = {&counter_unsynchronized, &counter_mutex, &counter_atomic,
                                                   &counter_per_task};
enum { WAYS = sizeof ways / sizeof ways[0], PRIVATE = WAYS, PINNED, COMPARISONS };
enum { VERDICTS = 5 }; /* lost, cost, serial fraction, pinned, private */

/* ---- the table ----------------------------------------------------------- */

static void print_row(const struct comparison *c, const struct measurement *m, bool first)
{
    uint64_t lost = c->expected_result > m->result ? c->expected_result - m->result : 0;
    double speedup = harness_speedup(c, m);
    double ns_per_addition = c->expected_result > 0 ? m->wall * 1e9 / (double)c->expected_result : 0.0;
    char speed[16] = "-", check[32] = "ok";
    if (speedup > 0.0)
        snprintf(speed, sizeof speed, "%.2fx", stats_round_down(speedup, 2)); /* cut, as the verdicts do */
    if (m->wrong_results > 0)
        snprintf(check, sizeof check, "WRONG %d/%d", m->wrong_results,
                 m->runs); /* as the column, in English */
    printf("%-14s %-10s %6.3f %6.1f %7s %10" PRIu64 " %9" PRIu64 "  %s\n",
           first ? c->workload.kind->name : "", m->strategy->name, m->wall, ns_per_addition, speed, m->result,
           lost, check);
}

static void print_table(const struct comparison *c, size_t count, double seconds)
{
    printf("\n");
    printf(ngettext("%zu task adds 1 to one counter, each way as often as its threads can in ~%g s\n",
                    "%zu tasks add 1 to one counter, each way as often as its threads can in ~%g s\n",
                    c[0].ntasks),
           c[0].ntasks, seconds);
    /* The column names stay in English, as in every table (the notes explain them). */
    printf("%-14s %-10s %6s %6s %7s %10s %9s  %s\n", "way", "strategy", "wall s", "ns/add", "speedup",
           "count", "lost", "check");
    for (size_t i = 0; i < count; i++)
        for (size_t r = 0; r < c[i].count; r++)
            print_row(&c[i], &c[i].results[r], r == 0);
}

static void print_pinned(const struct comparison *pinned)
{
    const struct measurement *m = &pinned->results[0];
    printf("\n");
    printf(ngettext("pinned to CPU %d: %zu thread, adding %" PRIu64 " times unsynchronized:\n",
                    "pinned to CPU %d: %zu threads, each adds %" PRIu64 " times unsynchronized:\n",
                    pinned->ntasks),
           pinned->cpus.ids[0], pinned->ntasks, pinned->workload.units);
    printf(_("  additions lost in %d of %d runs\n"
             "  the median run counted %" PRIu64 " of %" PRIu64 "\n"),
           m->wrong_results, m->runs, m->result, pinned->expected_result);
}

static void print_legend(void)
{
    printf("\n%s", _("way: how each task adds 1 (lib/counter.c); ns/add: wall time / additions,\n"
                     "what one cost with the tasks overlapping; speedup: against sequential, one\n"
                     "task at a time doing the same additions the same way; count: what the counter\n"
                     "held after the median run (sequential: all of them); lost: additions missing\n"
                     "from it; check: ok when every run counted them all, else WRONG in how many.\n"));
}

/* ---- measuring ------------------------------------------------------------ */

/* Each task's additions for one way, so that its threads row, every task
 * at once, takes about --seconds. Timed from a short run of that row
 * itself: one task alone cannot tell, since a shared counter costs far
 * more when the tasks take turns at it (the mutex three times more on our
 * 2-CPU VM, and more with more CPUs) than when one task has it alone. The
 * ways differ a hundredfold in what an addition costs, so each gets its
 * own count: the fast ones run long enough to time, the slow ones end. */
static int additions_per_task(const struct options *opts, const struct workload_kind *way, size_t ntasks,
                              uint64_t *units)
{
    static const struct strategy *const threads[] = {&strategy_threads};
    /* each task's share, alone: shorter ones misjudge the lock and weigh starting threads */
    struct workload w = {.kind = way,
                         .seconds = fmax(opts->seconds * PROBE_SHARE / (double)ntasks, PROBE_SHORTEST)};
    workload_calibrate(&w); /* a start: one task alone, unopposed */
    struct harness_plan plan = demo_plan(opts, ntasks, &w);
    plan.strategies = threads;
    plan.count = 1;
    plan.warmup = 0;
    plan.runs = 1;
    struct comparison probe;
    const char *failed_call = "";
    int err = harness_compare(&plan, &w, &probe, &failed_call);
    if (err != 0)
        return demo_fail(&demo, failed_call, err);
    double wall = probe.results[0].wall;
    harness_free(&probe);
    double scaled = wall > 0.0 ? (double)w.units * opts->seconds / wall : (double)w.units;
    *units = scaled < 1.0 ? 1 : (uint64_t)scaled;
    return 0;
}

/* The atomic way, with threads and with processes, on a counter in
 * private memory: each child gets a copy of its own. */
static int measure_private(const struct options *opts, size_t ntasks, struct comparison *out)
{
    static const struct strategy *const own_memory[] = {&strategy_threads, &strategy_processes};
    struct workload w = {.kind = &counter_private, .seconds = opts->seconds};
    int status = additions_per_task(opts, w.kind, ntasks, &w.units);
    if (status != 0)
        return status;
    struct harness_plan plan = demo_plan(opts, ntasks, &w);
    plan.strategies = own_memory;
    plan.count = 2;
    return demo_measure_plan(&demo, &plan, &w, out);
}

/* Every way with the demo's strategies, then the private counter. */
static int measure_ways(const struct options *opts, size_t ntasks, struct comparison *c)
{
    int status = 0;
    size_t measured = 0; /* comparisons filled, to free on a failure */
    while (status == 0 && measured < WAYS) {
        struct workload w = {.kind = ways[measured], .seconds = opts->seconds}; /* about, for the verdicts */
        if ((status = additions_per_task(opts, w.kind, ntasks, &w.units)) == 0 &&
            (status = demo_measure(&demo, opts, ntasks, &w, &c[measured])) == 0)
            measured++;
    }
    if (status == 0)
        status = measure_private(opts, ntasks, &c[PRIVATE]);
    if (status != 0)
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
    struct comparison c[COMPARISONS];
    if ((status = measure_ways(&opts, ntasks, c)) != 0)
        return status;
    if ((status = measure_pinned(&opts, ntasks, &c[PINNED])) != 0) {
        for (size_t i = 0; i < PINNED; i++)
            harness_free(&c[i]);
        return status;
    }

    char verdicts[VERDICTS][VERDICT_SIZE];
    verdict_race_lost(&c[0], verdicts[0], VERDICT_SIZE);
    verdict_race_cost(&c[1], &c[2], &c[3], verdicts[1], VERDICT_SIZE);
    verdict_race_serial(&c[1], &c[2], verdicts[2], VERDICT_SIZE);
    verdict_race_pinned(&c[PINNED], verdicts[3], VERDICT_SIZE);
    verdict_race_private(&c[PRIVATE], verdicts[4], VERDICT_SIZE);
    if (opts.json) {
        report_json(stdout, &demo, &m, c, COMPARISONS, true, verdicts, VERDICTS, opts.timeline_json);
    } else {
        report_header(&demo, &opts, &m, &c[0]);
        print_table(c, PINNED, opts.seconds);
        bool all = opts.details == DETAILS_ALL;
        if (all)
            print_pinned(&c[PINNED]);
        else /* under the tour: the verdicts on the table's screen (the fourth is the pinned run's) */
            demo_verdicts(&demo, &opts, verdicts, VERDICTS);
        if (demo_show_details(&opts)) {
            if (!all)
                print_pinned(&c[PINNED]);
            print_legend();
        }
        if (all)
            demo_verdicts(&demo, &opts, verdicts, VERDICTS);
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
