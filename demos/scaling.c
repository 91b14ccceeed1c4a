/*
 * scaling: strong scaling. One fixed amount of computing, split into 48
 * chunks (4 per CPU above 12 CPUs), done by a pool of 1, 2, 3, 4, 6, 8, ...
 * workers, up to twice as many as CPUs.
 * Per worker count: wall time, speedup, efficiency, what Amdahl's law
 * predicts, and the serial share the measurement implies (Karp-Flatt);
 * then a plot of measured, ideal and Amdahl speedup against workers.
 *
 * Usage: scaling [--serial-fraction F] [--strategies pool|openmp] [--quick] [--json] ...
 *
 * Speedup climbs until the workers match the CPUs, then stops: extra
 * workers only take turns, and pay for switching. --serial-fraction adds a
 * part that only one thread can do, and Amdahl's ceiling comes down with
 * it. The workers are a pthread pool (lib/pool.c), or with --strategies
 * openmp (when built with OpenMP) an OpenMP team. notes/14-scaling.md
 * walks through a run.
 */
#include "demo.h"
#include "report.h"
#include "scaling_report.h"
#include "stats.h"

#include <math.h>
#include <stdio.h>

static double serial_fraction = 0.0;

static const struct demo_flag flags[] = {
    {"serial-fraction", DEMO_FLAG_FRACTION, "F", N_("share of the job only one thread can do (default 0)"),
     &serial_fraction, NULL},
    {0},
};

#ifdef ATONCE_HAVE_OPENMP
/* The same job on an OpenMP team of context->workers threads: the pragma
 * hands out the chunks one at a time (schedule(dynamic)), as the pool does. */
static int run_openmp_team(const struct strategy_context *context, const struct workload *w, size_t ntasks,
                           struct task_record *records, const char **failed_call)
{
    (void)failed_call; /* libgomp aborts if it cannot start a thread: see lib/openmp.c */
    strategy_run_serial_part(context);
    long n = (long)ntasks;
#pragma omp parallel for num_threads((int)strategy_worker_count(context)) schedule(dynamic, 1)
    for (long i = 0; i < n; i++)
        strategy_run_task(w, (size_t)i, &records[i]);
    return 0;
}

static const struct strategy openmp_team = {
    .name = "openmp",
    .explains = N_("an OpenMP team of that many threads, #pragma omp parallel for"),
    .computes_in_parallel = true,
    .workers = STRATEGY_WORKERS_TAKE_NEXT,
    .start_cost = 0, /* a team per run, not a thread per task */
    .run = run_openmp_team,
};
#endif

static const struct strategy *const strategies[] = {
    &strategy_pool, /* lib/pool.c */
#ifdef ATONCE_HAVE_OPENMP
    &openmp_team,
#endif
    NULL,
};

static const struct demo_info demo = {
    .name = "scaling",
    .summary = N_("One fixed job split among 1, 2, 3, 4, 6, ... 2 x CPUs worker threads (strong\n"
                  "scaling): speedup, efficiency, Amdahl's prediction, the Karp-Flatt serial\n"
                  "share, a plot."),
    .note = "notes/14-scaling.md",
    .default_tasks = 0,     /* scaling_default_chunks: set in main */
    .default_seconds = 0.5, /* the chunks share 0.5 s of computing */
    .quick_tasks = 0,
    .quick_seconds = 0.05,
    .default_strategies = "pool",
    .harness = true,
    .strategies = strategies,
    .flags = flags,
    .tasks_help = N_("how many chunks the job is cut into"),
    .default_tasks_help = N_("48, or 4 per CPU above 12 CPUs"),
    .seconds_help = N_("the whole job's computing, in seconds"),
    .no_csv = true, /* one table per worker count would not fit CSV's one header */
};

/* ---- one point per worker count ------------------------------------- */

/* Refuses a job whose worker counts would take too long together: each is
 * a harness comparison, plus the serial part in every run. */
static int refuse_long_run(const struct options *opts, const struct machine *m, const size_t *counts,
                           size_t n, const struct workload *chunk)
{
    struct demo_estimate e = {0};
    double capacity = machine_parallel_capacity(m, &m->allowed);
    for (size_t i = 0; i < n; i++) {
        size_t workers = counts[i];
        struct harness_plan plan = demo_plan(opts, opts->tasks, chunk);
        plan.strategy_context.workers = workers;
        char label[32];
        snprintf(label, sizeof label, "%zu worker%s", workers, workers == 1 ? "" : "s");
        demo_estimate_add(&e, label, &plan, chunk, capacity); /* the serial part included */
    }
    return demo_refuse_long_run(&demo, opts, &e, "less --seconds (the whole job) or fewer --runs");
}

/* Measures one point: `workers` workers on the job, each run judged against
 * `reference` (a chunk's CPU time undisturbed, or 0). */
static int measure_point(const struct options *opts, size_t workers, const struct workload *chunk,
                         double reference, struct scaling_point *p)
{
    p->workers = workers;
    struct harness_plan plan = demo_plan(opts, opts->tasks, chunk);
    plan.strategy_context.workers = workers; /* the pool's (or the team's) size for this point */
    plan.reference_task_cpu = reference;
    return demo_measure_plan(&demo, &plan, chunk, &p->c);
}

/* Every point, each run judged against the one-worker point's chunks: a
 * host that slows both CPUs for a while slows every run of a point alike,
 * which only a reference from outside it shows. A point with no fair run is
 * measured once more after the others: the disturbance may be over. */
static int measure_points(const struct options *opts, const size_t *counts, size_t n,
                          const struct workload *chunk, struct scaling_point *points)
{
    int status = 0;
    double reference = 0.0;
    size_t measured = 0;
    for (; measured < n && status == 0; measured++) {
        status = measure_point(opts, counts[measured], chunk, reference, &points[measured]);
        if (measured == 0 && status == 0)
            reference = harness_mean_task_cpu(points[0].c.results[0].spans, points[0].c.ntasks);
    }
    for (size_t i = 1; i < n && status == 0; i++)
        if (points[i].c.results[0].disturbed != 0) {
            harness_free(&points[i].c);
            status = measure_point(opts, counts[i], chunk, reference, &points[i]);
            if (status != 0)
                measured = i; /* points[i] holds nothing now */
        }
    if (status != 0)
        for (size_t j = 0; j < measured; j++)
            harness_free(&points[j].c);
    return status;
}

int main(int argc, char **argv)
{
    struct options opts;
    struct machine m;
    int status = options_parse(argc, argv, &demo, &opts);
    if (status != OPTIONS_RUN)
        return status;
    if (opts.strategy_count != 1) /* one series of worker counts per run */
        return options_refuse(&demo, "--strategies", "one at a time here (pool or openmp)");
    if ((status = demo_setup(&demo, &opts, &m)) != 0)
        return status;
    size_t cpus = opts.cpus.count, counts[SCALING_MAX_POINTS];
    size_t n = stats_worker_counts(cpus, counts, SCALING_MAX_POINTS);
    if (n == 0) /* cannot happen: there are always at least 1 and 2 workers */
        return 1;
    if (!opts.tasks_given)
        opts.tasks = scaling_default_chunks(cpus);

    /* The job: --seconds of computing in all; a share f of it serial. */
    struct workload chunk = {.kind = &workload_cpu,
                             .seconds = opts.seconds * (1.0 - serial_fraction) / (double)opts.tasks};
    struct workload serial_part = {.kind = &workload_cpu, .seconds = opts.seconds * serial_fraction};
    if (serial_fraction > 0.0)
        opts.strategy_context.serial_part = &serial_part; /* every run does it first, on one thread */
    if ((status = refuse_long_run(&opts, &m, counts, n, &chunk)) != 0)
        return status;
    workload_calibrate(&chunk);
    if (serial_fraction > 0.0)
        workload_calibrate(&serial_part);

    struct scaling_point points[SCALING_MAX_POINTS];
    if ((status = measure_points(&opts, counts, n, &chunk, points)) != 0)
        return status;
    for (size_t i = 0; i < n; i++) {
        scaling_compute_point(&points[i], points[0].c.results[0].wall, cpus, serial_fraction);
        if (points[i].c.results[0].checksum != points[0].c.results[0].checksum ||
            !harness_checksums_ok(&points[i].c))
            status = 1; /* every worker count must compute the same thing */
    }
    char line[1][VERDICT_SIZE];
    scaling_verdict(points, n, cpus, serial_fraction, line[0], sizeof line[0]);
    if (opts.json) {
        scaling_print_json(&m, points, n, serial_fraction, line[0]);
    } else {
        report_header(&demo, &opts, &m, &points[0].c);
        printf("\n");
        printf(_("the job: %g s of computing in %zu chunks, %g of it serial; workers: %s\n"), opts.seconds,
               opts.tasks, serial_fraction, opts.strategies[0]->name);
        scaling_print_table(points, n);
        if (status != 0)
            printf("%s", _("MISMATCH: a worker count computed something else: a bug, not a timing.\n"));
        bool all = opts.details == DETAILS_ALL;
        if (!all) /* under the tour: the verdict on the table's screen */
            demo_verdicts(&demo, &opts, line, 1);
        if (demo_show_details(&opts)) {
            scaling_print_legend(serial_fraction);
            scaling_print_plot(points, n);
        }
        if (all)
            demo_verdicts(&demo, &opts, line, 1);
        report_note(&demo);
    }
    struct comparison traced[SCALING_MAX_POINTS]; /* borrowed: the points still own their spans */
    for (size_t i = 0; i < n; i++)
        traced[i] = points[i].c;
    if (demo_write_trace(&demo, &opts, traced, n) != 0)
        status = 1;
    for (size_t i = 0; i < n; i++)
        harness_free(&points[i].c);
    return status;
}
