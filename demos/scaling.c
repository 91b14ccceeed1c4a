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
#include "pool.h"
#include "report.h"
#include "stats.h"

#include <math.h>
#include <stdio.h>

#define DEFAULT_CHUNKS   48
#define MAX_POINTS       15 /* worker counts: the plot's columns, 4 characters each, fit 80 */
#define PLOT_ROWS        10
#define KARP_FLATT_SLACK 0.05 /* estimates this far outside 0..1 are still noise-sized */

static double serial_fraction = 0.0;

static const struct demo_flag flags[] = {
    {"serial-fraction", DEMO_FLAG_FRACTION, "F", N_("share of the job only one thread can do (default 0)"),
     &serial_fraction, NULL},
    {0},
};

/* ---- the pool as a strategy: its size is set before each measurement -- */

static size_t pool_workers = 1;
static struct workload serial_part; /* done by one thread before the chunks */

struct chunk_job {
    const struct workload *w;
    struct task_record *records;
};

static void run_chunk(size_t index, size_t worker, void *context)
{
    struct chunk_job *job = context;
    (void)worker;
    span_start(&job->records[index].span);
    job->records[index].checksum = workload_run_task(job->w, index);
    span_end(&job->records[index].span);
}

static int run_pool(const struct workload *w, size_t ntasks, struct task_record *records,
                    const char **failed_call)
{
    if (serial_part.units > 0) { /* the part no worker can share */
        volatile uint64_t sink = workload_run_task(&serial_part, 0);
        (void)sink;
    }
    struct chunk_job job = {w, records};
    return pool_run(pool_workers, ntasks, run_chunk, &job, failed_call);
}

static struct strategy pool = {
    /* pool_size: set for each worker count */
    .name = "pool",
    .explains = N_("a pool of worker threads sharing the chunks of one job"),
    .computes_in_parallel = true,
    .start_cost = 0, /* its workers start once per run, not once per task */
    .run = run_pool,
};

#ifdef ATONCE_HAVE_OPENMP
/* The same job on an OpenMP team of pool_workers threads: the pragma hands
 * out the chunks one at a time (schedule(dynamic)), as the pool does. */
static int run_openmp_team(const struct workload *w, size_t ntasks, struct task_record *records,
                           const char **failed_call)
{
    (void)failed_call; /* libgomp aborts if it cannot start a thread: see lib/openmp.c */
    if (serial_part.units > 0) {
        volatile uint64_t sink = workload_run_task(&serial_part, 0);
        (void)sink;
    }
    long n = (long)ntasks;
#pragma omp parallel for num_threads(pool_workers) schedule(dynamic, 1)
    for (long i = 0; i < n; i++)
        strategy_run_task(w, (size_t)i, &records[i]);
    return 0;
}

static struct strategy openmp_team = {
    .name = "openmp",
    .explains = N_("an OpenMP team of that many threads, #pragma omp parallel for"),
    .computes_in_parallel = true,
    .start_cost = 0, /* a team per run, not a thread per task */
    .run = run_openmp_team,
};
#endif

static const struct strategy *const strategies[] = {
    &pool,
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
    .default_tasks = 0,     /* DEFAULT_CHUNKS, or 4 per CPU on many CPUs: set in main */
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

/* Sizes the pool (and the OpenMP team) for the next measurement; the
 * harness reads pool_size to know how many chunks run at once. */
static void set_workers(size_t workers)
{
    pool_workers = workers;
    pool.pool_size = workers;
#ifdef ATONCE_HAVE_OPENMP
    openmp_team.pool_size = workers;
#endif
}

/* Refuses a job whose worker counts would take too long together: each is
 * a harness comparison, plus the serial part in every run. */
static int refuse_long_run(const struct options *opts, const struct machine *m, const size_t *counts,
                           size_t n, const struct workload *chunk)
{
    struct demo_estimate e = {0};
    double capacity = machine_parallel_capacity(m, &m->allowed);
    for (size_t i = 0; i < n; i++) {
        size_t workers = counts[i];
        set_workers(workers);
        struct harness_plan plan = demo_plan(opts, opts->tasks, chunk);
        char label[32];
        snprintf(label, sizeof label, "%zu worker%s", workers, workers == 1 ? "" : "s");
        demo_estimate_add(&e, label, &plan, chunk, capacity);
        e.seconds += (double)(plan.warmup + (plan.runs > 1 ? plan.runs : 1)) * serial_part.seconds;
    }
    return demo_refuse_long_run(&demo, opts, &e, "less --seconds (the whole job) or fewer --runs");
}

struct point {
    size_t workers;
    struct comparison c;
    double speedup, ideal, amdahl, karp_flatt;
};

/* Measures one point: `workers` workers on the job, each run judged against
 * `reference` (a chunk's CPU time undisturbed, or 0). */
static int measure_point(const struct options *opts, size_t workers, const struct workload *chunk,
                         double reference, struct point *p)
{
    p->workers = workers;
    set_workers(workers);
    struct harness_plan plan = demo_plan(opts, opts->tasks, chunk);
    plan.reference_task_cpu = reference;
    return demo_measure_plan(&demo, &plan, chunk, &p->c);
}

/* Every point, each run judged against the one-worker point's chunks: a
 * host that slows both CPUs for a while slows every run of a point alike,
 * which only a reference from outside it shows. A point with no fair run is
 * measured once more after the others: the disturbance may be over. */
static int measure_points(const struct options *opts, const size_t *counts, size_t n,
                          const struct workload *chunk, struct point *points)
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

static void compute_point(struct point *p, double one_worker_wall, size_t cpus)
{
    p->speedup = stats_speedup(one_worker_wall, p->c.results[0].wall);
    /* More workers than CPUs add no CPUs, and chunks that do not share out
     * evenly leave some workers idle at the end: as if on fewer CPUs. */
    p->ideal = stats_ideal_speedup(p->workers, cpus, p->c.ntasks);
    p->amdahl = stats_amdahl(serial_fraction, p->ideal);
    p->karp_flatt = stats_karp_flatt(p->speedup, p->ideal); /* its p is processors, not workers */
}

static void print_table(const struct point *points, size_t n)
{
    printf("\n%7s %8s  %-13s %8s %6s %5s %8s %11s\n", "workers", "wall s", "min-max s", "speedup", "ideal",
           "eff", "amdahl", "karp-flatt");
    for (size_t i = 0; i < n; i++) {
        const struct point *p = &points[i];
        const struct measurement *m = &p->c.results[0];
        char range[32], karp[16];
        snprintf(range, sizeof range, "%.3f-%.3f", m->wall_min, m->wall_max);
        if (isnan(p->karp_flatt))
            snprintf(karp, sizeof karp, "-");
        else
            snprintf(karp, sizeof karp, "%.3f", p->karp_flatt);
        printf("%7zu %8.3f  %-13s %7.2fx %5.*fx %4.0f%% %7.2fx %11s\n", p->workers, m->wall, range,
               stats_round_down(p->speedup, 2), p->ideal == floor(p->ideal) ? 0 : 1,
               stats_round_down(p->ideal, 1),
               stats_round_down(100.0 * stats_efficiency(p->speedup, p->ideal), 0), p->amdahl, karp);
    }
    int set_aside = 0, runs = 0;
    for (size_t i = 0; i < n; i++) {
        set_aside += points[i].c.results[0].set_aside;
        runs += points[i].c.results[0].runs;
    }
    if (set_aside > 0) /* the harness judged each run: see lib/README.md */
        printf(_("set aside as not fair: %d of %d runs (a chunk waited for a CPU, or the CPU\n"
                 "  was slower); the medians are of the rest\n"),
               set_aside, runs);
}

/* What the columns mean. */
static void print_columns_legend(void)
{
    printf(_("ideal = min(workers, CPUs), less where the chunks leave workers idle at the end;\n"
             "amdahl = 1 / (f + (1 - f) / ideal) with f = %g; karp-flatt = the serial share\n"
             "this speedup implies on `ideal` CPUs (near f, plus whatever more workers cost).\n"),
           serial_fraction);
}

/* Which mark goes in a plot cell: measured over Amdahl over ideal. */
static char plot_mark(const struct point *p, double low, double high)
{
    if (p->speedup >= low && p->speedup < high)
        return '*';
    if (p->amdahl >= low && p->amdahl < high)
        return 'a';
    if (p->ideal >= low && p->ideal < high)
        return 'o';
    return ' ';
}

static void print_plot(const struct point *points, size_t n)
{
    double top = 0.0;
    for (size_t i = 0; i < n; i++)
        top = fmax(top, fmax(points[i].speedup, points[i].ideal));
    double step = top / PLOT_ROWS;
    printf("\n");
    printf("%s", _("speedup against workers: * measured, a Amdahl, o ideal (* hides a, a hides o)\n"));
    for (int row = PLOT_ROWS; row >= 1; row--) {
        double low = step * (row - 0.5), high = step * (row + 0.5);
        printf("%5.2fx |", step * row);
        for (size_t i = 0; i < n; i++)
            printf("  %c ", plot_mark(&points[i], low, high));
        printf("\n");
    }
    printf("       +");
    for (size_t i = 0; i < n; i++)
        printf("----");
    printf("\n        ");
    for (size_t i = 0; i < n; i++)
        printf("%3zu ", points[i].workers);
    printf("  workers\n");
}

static void print_json(const struct machine *m, const struct point *points, size_t n, const char *verdict)
{
    printf("{\"demo\": \"scaling\", \"version\": \"%s\", \"machine\": ", ATONCE_VERSION);
    report_json_machine(stdout, m);
    printf(", \"cpus\": %zu, \"strategy\": \"%s\", \"serial_fraction\": %g, \"points\": [",
           points[0].c.cpus.count, points[0].c.results[0].strategy->name, serial_fraction);
    for (size_t i = 0; i < n; i++) {
        const struct point *p = &points[i];
        const struct measurement *r = &p->c.results[0];
        printf("%s{\"workers\": %zu, \"wall_s\": %.9g, \"wall_min_s\": %.9g, \"wall_max_s\": %.9g, "
               "\"speedup\": %.9g, \"ideal_speedup\": %g, \"efficiency\": %.9g, \"amdahl\": %.9g, "
               "\"karp_flatt\": ",
               i > 0 ? ", " : "", p->workers, r->wall, r->wall_min, r->wall_max, p->speedup, p->ideal,
               stats_efficiency(p->speedup, p->ideal), p->amdahl);
        if (isnan(p->karp_flatt))
            printf("null");
        else
            printf("%.9g", p->karp_flatt);
        printf(", \"runs\": %d, \"runs_set_aside\": %d, \"checksum_ok\": %s}", r->runs, r->set_aside,
               r->checksum == points[0].c.results[0].checksum ? "true" : "false");
    }
    printf("], \"verdicts\": [");
    report_json_string(stdout, verdict);
    printf("]}\n");
}

/* A cause the measurements show (a quota, other programs, steal), a point
 * short of (or 5 % above) Amdahl's speedup on the ideal CPUs, or a Karp-Flatt estimate
 * outside 0..1, which no real serial share gives: then the curve shows the
 * surroundings or noise, not Amdahl. */
static bool measured_elsewhere(const struct point *points, size_t n, char *why, size_t size)
{
    for (size_t i = 0; i < n; i++) {
        enum verdict_cause cause = verdict_cause(&points[i].c, why, size);
        if (cause == CAUSE_QUOTA || cause == CAUSE_OTHERS || cause == CAUSE_STEAL)
            return true;
    }
    for (size_t i = 0; i < n; i++) { /* each point should reach Amdahl on its ideal CPUs */
        const struct point *p = &points[i];
        if (p->ideal > 1.0 && p->speedup < VERDICT_LESSON_EFFICIENCY * p->amdahl) {
            char cause[96];
            verdict_cause(&p->c, cause, sizeof cause);
            snprintf(why, size, _("%zu workers only %.2fx of Amdahl's %.2fx: %.60s"), p->workers,
                     stats_round_down(p->speedup, 2), p->amdahl, cause);
            return true;
        }
        if (p->speedup > (1.0 + VERDICT_PINNED_BAND) * p->amdahl) { /* more than the CPUs can give */
            snprintf(why, size, _("%zu workers %.2fx, above Amdahl's %.2fx: a noisy run, rerun"), p->workers,
                     stats_round_down(p->speedup, 2), p->amdahl);
            return true;
        }
    }
    for (size_t i = 0; i < n; i++) {
        double kf = points[i].karp_flatt;
        if (!isnan(kf) && (kf < -KARP_FLATT_SLACK || kf > 1.0 + KARP_FLATT_SLACK)) {
            snprintf(why, size, _("Karp-Flatt %.2f at %zu workers is outside 0-1: a noisy run, rerun"), kf,
                     points[i].workers);
            return true;
        }
    }
    return false;
}

/* The verdict: where the speedup stopped, and why. */
static void verdict(const struct point *points, size_t n, size_t cpus, char *buf, size_t size)
{
    size_t best = 0;
    for (size_t i = 1; i < n; i++)
        if (points[i].speedup > points[best].speedup)
            best = i;
    const struct point *last = &points[n - 1];
    char why[128];
    if (measured_elsewhere(points, n, why, sizeof why))
        ; /* what else took the CPUs comes first: the curve is not the machine's */
    else if (cpus < 2)
        snprintf(why, sizeof why, "%s", _("1 CPU: no number of workers can speed it up"));
    else if (serial_fraction > 0.0)
        snprintf(why, sizeof why, _("the serial share caps it: Amdahl allows %.2fx on %d CPUs"),
                 stats_amdahl(serial_fraction, (double)cpus), (int)cpus);
    else
        snprintf(why, sizeof why, _("speedup stops at the %d CPUs: more workers only take turns"), (int)cpus);
    if (best == n - 1)
        snprintf(buf, size, _("scaling: best %.2fx, with the most workers (%zu) -> %s"),
                 stats_round_down(last->speedup, 2), last->workers, why);
    else
        snprintf(buf, size,
                 ngettext("scaling: best %.2fx (%zu worker), %.2fx with %zu -> %s",
                          "scaling: best %.2fx (%zu workers), %.2fx with %zu -> %s", points[best].workers),
                 stats_round_down(points[best].speedup, 2), points[best].workers,
                 stats_round_down(last->speedup, 2), last->workers, why);
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
    size_t cpus = opts.cpus.count, counts[MAX_POINTS];
    size_t n = stats_worker_counts(cpus, counts, MAX_POINTS);
    if (n == 0) /* cannot happen: there are always at least 1 and 2 workers */
        return 1;
    if (!opts.tasks_given) /* enough chunks for every CPU to take several */
        opts.tasks = cpus > DEFAULT_CHUNKS / 4 ? 4 * cpus : DEFAULT_CHUNKS;

    /* The job: --seconds of computing in all; a share f of it serial. */
    struct workload chunk = {.kind = WORKLOAD_CPU,
                             .seconds = opts.seconds * (1.0 - serial_fraction) / (double)opts.tasks};
    serial_part = (struct workload){.kind = WORKLOAD_CPU, .seconds = opts.seconds * serial_fraction};
    if ((status = refuse_long_run(&opts, &m, counts, n, &chunk)) != 0)
        return status;
    workload_calibrate(&chunk);
    if (serial_fraction > 0.0)
        workload_calibrate(&serial_part);

    struct point points[MAX_POINTS];
    if ((status = measure_points(&opts, counts, n, &chunk, points)) != 0)
        return status;
    for (size_t i = 0; i < n; i++) {
        compute_point(&points[i], points[0].c.results[0].wall, cpus);
        if (points[i].c.results[0].checksum != points[0].c.results[0].checksum ||
            !harness_checksums_ok(&points[i].c))
            status = 1; /* every worker count must compute the same thing */
    }
    char line[1][VERDICT_SIZE];
    verdict(points, n, cpus, line[0], sizeof line[0]);
    if (opts.json) {
        print_json(&m, points, n, line[0]);
    } else {
        report_header(&demo, &opts, &m, &points[0].c);
        printf("\n");
        printf(_("the job: %g s of computing in %zu chunks, %g of it serial; workers: %s\n"), opts.seconds,
               opts.tasks, serial_fraction, opts.strategies[0]->name);
        print_table(points, n);
        if (status != 0)
            printf("%s", _("MISMATCH: a worker count computed something else: a bug, not a timing.\n"));
        bool all = opts.details == DETAILS_ALL;
        if (!all) /* under the tour: the verdict on the table's screen */
            demo_verdicts(&demo, &opts, line, 1);
        if (demo_show_details(&opts)) {
            print_columns_legend();
            print_plot(points, n);
        }
        if (all)
            demo_verdicts(&demo, &opts, line, 1);
        report_note(&demo);
    }
    struct comparison traced[MAX_POINTS]; /* borrowed: the points still own their spans */
    for (size_t i = 0; i < n; i++)
        traced[i] = points[i].c;
    if (demo_write_trace(&demo, &opts, traced, n) != 0)
        status = 1;
    for (size_t i = 0; i < n; i++)
        harness_free(&points[i].c);
    return status;
}
