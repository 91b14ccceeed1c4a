/*
 * event_loop: waiting without threads. One thread keeps one timer per task
 * and sleeps until the next is due, the way asyncio or Node.js wait: sleeps
 * overlap as well as with threads or processes, at a fraction of the cost.
 * Computing cannot overlap there: the loop runs cpu tasks one after another.
 *
 * Usage: event_loop [--tasks N] [--seconds S] [--quick] [--json] ...
 *        event_loop --tasks 10,100,1000,10000    (a sweep: wall time and memory)
 *
 * --tasks N sets the sleeping tasks; the computing table keeps one task per
 * CPU, which is all its lesson needs. The sweep runs each strategy at each
 * size in a fresh process and reports its wall time and peak memory
 * (ru_maxrss): the event loop holds 10,000 one-second sleeps in about 1 s
 * and a few MiB. notes/13-event_loop.md.
 */
#include "demo.h"
#include "interrupt.h"
#include "output.h"
#include "progress.h"
#include "report.h"
#include "stats.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#define SWEEP_SECONDS       1.0 /* each task's sleep in a sweep, unless --seconds */
#define QUICK_SWEEP_SECONDS 0.1
#define CPU_SECONDS         0.25 /* each cpu task in the tables, one per CPU; on 2 CPUs (demo_cpu_seconds) */
#define QUICK_CPU_SECONDS   0.05
#define PROCESS_CAP         2000 /* children at most at once, in a sweep and in the tables */

static const struct demo_info demo = {
    .name = "event_loop",
    .summary = N_("Sleeping tasks in one thread with one timer each, against threads and\n"
                  "processes; computing tasks too. --tasks 10,100,1000,10000 sweeps sizes."),
    .note = "notes/13-event_loop.md",
    .default_tasks = 10,
    .default_seconds = 0.2,
    .quick_tasks = 10,
    .quick_seconds = 0.05, /* 10 processes start in ~3 ms: under 10 % of it */
    .default_strategies = "sequential,event_loop,threads,processes",
    .harness = true,
    .shares_work = true,
    .tasks_list = true,
    .tasks_sleep_only = true, /* the computing table shows its lesson with one task per CPU */
    .tasks_help = N_("sleeping tasks (cpu: one per CPU), or a sweep: 10,100"),
};

/* ---- the tables ---------------------------------------------------- */

static void table_verdicts(const struct comparison *sleeping, const struct comparison *computing,
                           char verdicts[][VERDICT_SIZE])
{
    const struct measurement *loop_sleep = harness_find(sleeping, "event_loop");
    const struct measurement *loop_cpu = harness_find(computing, "event_loop");
    if (loop_sleep == NULL || loop_cpu == NULL || harness_find(sleeping, "sequential") == NULL) {
        snprintf(verdicts[0], VERDICT_SIZE, "%s",
                 _("event_loop: nothing to judge (measure sequential and event_loop)"));
        snprintf(verdicts[1], VERDICT_SIZE, "%s", _("event_loop: see the tables"));
        return;
    }
    double s = stats_round_down(harness_speedup(sleeping, loop_sleep), 2);
    double c = stats_round_down(harness_speedup(computing, loop_cpu), 2);
    char why[VERDICT_SIZE];
    if (verdict_not_the_lesson(sleeping, verdicts[0], VERDICT_SIZE))
        ; /* a row the machine cannot produce: said instead of the lesson */
    else if (s >= VERDICT_WAITING_EFFICIENCY * (double)sleeping->ntasks)
        snprintf(verdicts[0], VERDICT_SIZE,
                 _("sleep: event_loop %.2fx in one thread -> waits overlap without "
                   "threads or processes"),
                 s);
    else {
        verdict_cause(sleeping, why, sizeof why);
        snprintf(verdicts[0], VERDICT_SIZE, _("sleep: event_loop only %.2fx of %zux -> %.*s"), s,
                 sleeping->ntasks, i18n_bytes_within(why, 100), why);
    }
    if (verdict_not_the_lesson(computing, verdicts[1], VERDICT_SIZE))
        ; /* one thread over 1x is what one thread cannot give: what else ran is named */
    else if (c < VERDICT_NO_SPEEDUP)
        snprintf(verdicts[1], VERDICT_SIZE,
                 _("cpu: event_loop %.2fx -> one thread computes one task at a time, "
                   "as sequential does"),
                 c);
    else
        snprintf(verdicts[1], VERDICT_SIZE,
                 _("cpu: event_loop %.2fx?! -> one thread cannot compute two tasks "
                   "at once: a noisy run?"),
                 c);
}

static int run_tables(const struct options *opts, const struct machine *m)
{
    struct comparison c[2];
    int status = demo_measure_both(&demo, opts, m, opts->quick ? QUICK_CPU_SECONDS : CPU_SECONDS, c);
    if (status != 0)
        return status;
    char verdicts[2][VERDICT_SIZE];
    table_verdicts(&c[0], &c[1], verdicts);
    return demo_report(&demo, opts, m, c, 2, verdicts, 2, 1, NULL);
}

/* ---- the sweep ------------------------------------------------------ */

/* How a sweep measures: --strategies, --seconds, --runs and --warmup, each
 * with a default of its own (one run, no warm-up: a second a point). */
struct sweep {
    const struct strategy *const *strategies;
    size_t count;
    double seconds;
    int runs, warmup;
};

/* One strategy at one size, measured in a fresh process. */
struct point {
    size_t tasks;
    const struct strategy *strategy;
    bool capped; /* not run: more children than PROCESS_CAP */
    bool failed;
    int runs;              /* measured runs, any set aside included */
    double wall;           /* seconds, the median run */
    double peak_mib;       /* the measuring process's peak RSS */
    double child_peak_mib; /* processes: the largest child's peak RSS */
    char failure[128];
};

static double mib(long kib)
{
    return (double)kib / 1024.0;
}

/* In the measuring child: the point's runs, its figures into `out`. */
static void measure_in_child(const struct sweep *how, struct point *out)
{
    struct workload w = {.kind = &workload_sleep, .seconds = how->seconds};
    const struct strategy *list[] = {out->strategy};
    struct harness_plan plan = {
        .strategies = list, .count = 1, .ntasks = out->tasks, .warmup = how->warmup, .runs = how->runs};
    struct comparison c;
    const char *failed_call = "?";
    int err = harness_compare(&plan, &w, &c, &failed_call);
    struct rusage self, children;
    getrusage(RUSAGE_SELF, &self);
    getrusage(RUSAGE_CHILDREN, &children);
    out->failed = err != 0;
    if (err != 0)
        strategy_failure_format(failed_call, err, out->failure, sizeof out->failure);
    else {
        out->wall = c.results[0].wall;
        out->runs = c.results[0].runs;
        out->failed = !harness_checksums_ok(&c);
        if (out->failed)
            snprintf(out->failure, sizeof out->failure, "checksum mismatch");
        harness_free(&c);
    }
    out->peak_mib = mib(self.ru_maxrss);
    out->child_peak_mib = mib(children.ru_maxrss);
}

/* In a fresh child (so that its peak memory is this measurement's alone);
 * the figures come back through a pipe. */
static void measure_point(struct point *p, const struct sweep *how)
{
    int pipefd[2];
    if (pipe(pipefd) != 0) {
        p->failed = true;
        snprintf(p->failure, sizeof p->failure, "pipe: %s", strerror(errno));
        return;
    }
    output_flush(stdout);
    sigset_t saved;
    interrupt_hold(&saved); /* a signal now waits until the child is noted */
    pid_t pid = fork();
    int fork_error = pid < 0 ? errno : 0;
    /* The measuring process leads a process group of its own, so that
     * Ctrl-C here (lib/interrupt) stops it with every child it forked. */
    if (pid > 0)
        setpgid(pid, pid); /* in both processes: whichever runs first */
    if (pid != 0)
        interrupt_release(&saved, pid, true);
    if (pid == 0) {
        setpgid(0, 0);
        interrupt_release_in_child(&saved);
        close(pipefd[0]);
        struct point out = *p;
        measure_in_child(how, &out);
        _exit(write(pipefd[1], &out, sizeof out) == sizeof out ? 0 : 1);
    }
    close(pipefd[1]);
    ssize_t got = 0; /* one write of a small struct arrives whole (under PIPE_BUF); still, loop */
    while (pid > 0 && got < (ssize_t)sizeof *p) {
        ssize_t n = read(pipefd[0], (char *)p + got, sizeof *p - (size_t)got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        got += n;
    }
    close(pipefd[0]);
    if (pid > 0 && got != (ssize_t)sizeof *p)
        kill(-pid, SIGKILL); /* it died without its figures: its own children must not outlive it */
    if (pid > 0) {
        waitpid(pid, NULL, 0);
        interrupt_untrack(pid);
    }
    if (fork_error != 0) {
        p->failed = true;
        snprintf(p->failure, sizeof p->failure, "fork: %s", strerror(fork_error));
    } else if (got != (ssize_t)sizeof *p) {
        p->failed = true;
        snprintf(p->failure, sizeof p->failure, "the measuring process died");
    }
}

static void print_point(const struct point *p)
{
    printf("%7zu  %-11s", p->tasks, p->strategy->name);
    if (p->capped)
        printf(_(" %8s %9s   capped at %d children (see below)\n"), "-", "-", PROCESS_CAP);
    else if (p->failed)
        printf(" %8s %9s   failed: %s\n", "-", "-", p->failure);
    else if (p->strategy == &strategy_processes)
        printf(_(" %8.3f %9.1f   + %zu children, each up to %.1f MiB\n"), p->wall, p->peak_mib, p->tasks,
               p->child_peak_mib);
    else
        printf(" %8.3f %9.1f\n", p->wall, p->peak_mib);
}

static void print_sweep_json(const struct machine *m, const struct point *points, size_t n, double seconds)
{
    printf("{\"demo\": \"event_loop\", \"version\": \"%s\", \"machine\": ", ATONCE_VERSION);
    report_json_machine(stdout, m);
    printf(", \"seconds\": %g, \"sweep\": [", seconds);
    for (size_t i = 0; i < n; i++) {
        const struct point *p = &points[i];
        printf("%s{\"tasks\": %zu, \"strategy\": \"%s\", \"capped\": %s, \"failed\": %s", i > 0 ? ", " : "",
               p->tasks, p->strategy->name, p->capped ? "true" : "false", p->failed ? "true" : "false");
        if (!p->capped && !p->failed)
            printf(", \"runs\": %d, \"wall_s\": %.9g, \"peak_rss_mib\": %.4g, \"child_peak_rss_mib\": %.4g",
                   p->runs, p->wall, p->peak_mib, p->child_peak_mib);
        printf("}");
    }
    printf("]}\n");
}

/* One row per point; a capped or failed point has no figures. */
static void print_sweep_csv(const struct point *points, size_t n)
{
    printf("tasks,strategy,capped,failed,runs,wall_s,peak_rss_mib,child_peak_rss_mib\n");
    for (size_t i = 0; i < n; i++) {
        const struct point *p = &points[i];
        printf("%zu,%s,%s,%s", p->tasks, p->strategy->name, p->capped ? "true" : "false",
               p->failed ? "true" : "false");
        if (!p->capped && !p->failed)
            printf(",%d,%.9g,%.4g,%.4g\n", p->runs, p->wall, p->peak_mib, p->child_peak_mib);
        else
            printf(",,,,\n");
    }
}

static void print_sweep_table(const struct options *opts, const struct machine *m, const struct sweep *how,
                              const struct point *points, size_t n, bool any_capped)
{
    struct options as_measured = *opts; /* the header says how each point was measured */
    as_measured.runs = how->runs;
    as_measured.warmup = how->warmup;
    report_header(&demo, &as_measured, m, NULL);
    printf(_("\nsweep: each task sleeps %g s; %s, each in a fresh process;\n"
             "peak MiB is that process's peak memory (getrusage ru_maxrss)\n\n"),
           how->seconds, how->runs == 1 && how->warmup == 0 ? _("one run per size") : _("each size's runs"));
    printf("%7s  %-11s %8s %9s\n", "tasks", "strategy", "wall s", "peak MiB");
    for (size_t i = 0; i < n; i++)
        print_point(&points[i]);
    if (any_capped)
        printf(_("\nprocesses capped at %d: each child is a whole process (page tables, kernel\n"
                 "structures, a slot under RLIMIT_NPROC); thousands more would take seconds to\n"
                 "fork and reap and could exhaust a shared machine's process limit.\n"),
               PROCESS_CAP);
    report_note(&demo);
}

/* The sweep's settings: the flags given, else its own defaults. */
static struct sweep sweep_settings(const struct options *opts)
{
    static const struct strategy *const sweep_strategies[] = {&strategy_event_loop, &strategy_threads,
                                                              &strategy_processes};
    struct sweep how = {.strategies = sweep_strategies, .count = 3, .runs = 1, .warmup = 0};
    if (opts->strategies_given) {
        how.strategies = opts->strategies;
        how.count = opts->strategy_count;
    }
    how.seconds = opts->seconds_given ? opts->seconds : opts->quick ? QUICK_SWEEP_SECONDS : SWEEP_SECONDS;
    if (opts->runs_given)
        how.runs = opts->runs;
    if (opts->warmup_given)
        how.warmup = opts->warmup;
    return how;
}

static bool over_the_cap(const struct strategy *s, size_t tasks)
{
    return s == &strategy_processes && tasks > PROCESS_CAP;
}

/* Refuses a sweep whose points would take too long together. */
static int refuse_long_sweep(const struct options *opts, const struct machine *m, const struct sweep *how)
{
    struct demo_estimate e = {0};
    struct workload w = {.kind = &workload_sleep, .seconds = how->seconds};
    for (size_t s = 0; s < opts->size_count; s++)
        for (size_t k = 0; k < how->count; k++) {
            if (over_the_cap(how->strategies[k], opts->sizes[s]))
                continue;
            struct harness_plan plan = {.strategies = &how->strategies[k],
                                        .count = 1,
                                        .ntasks = opts->sizes[s],
                                        .warmup = how->warmup,
                                        .runs = how->runs};
            demo_estimate_add(&e, NULL, &plan, &w, machine_parallel_capacity(m, &m->allowed));
        }
    return demo_refuse_long_run(&demo, opts, &e, "fewer or smaller --tasks, or less --seconds");
}

/* A failed point is a failed run: named on stderr, exit status 1. */
static int sweep_status(const struct point *points, size_t n)
{
    size_t failed = 0, first = 0;
    for (size_t i = 0; i < n; i++)
        if (points[i].failed && failed++ == 0)
            first = i;
    if (failed == 0)
        return 0;
    fprintf(stderr, "event_loop: %zu of %zu points failed; %zu tasks with %s: %s\n", failed, n,
            points[first].tasks, points[first].strategy->name, points[first].failure);
    return 1;
}

static int run_sweep(const struct options *opts, const struct machine *m)
{
    struct sweep how = sweep_settings(opts);
    int status = refuse_long_sweep(opts, m, &how);
    if (status != 0)
        return status;
    struct point points[OPTIONS_MAX_SIZES * HARNESS_MAX_STRATEGIES];
    size_t n = 0, total = opts->size_count * how.count;
    bool any_capped = false;
    for (size_t s = 0; s < opts->size_count; s++)
        for (size_t k = 0; k < how.count; k++) {
            struct point *p = &points[n++];
            *p = (struct point){.tasks = opts->sizes[s], .strategy = how.strategies[k]};
            p->capped = over_the_cap(p->strategy, p->tasks);
            any_capped |= p->capped;
            progress_show(_("sweep: %zu tasks with %s (%zu of %zu)"), p->tasks, p->strategy->name, n, total);
            if (!p->capped)
                measure_point(p, &how);
        }
    progress_clear();
    if (opts->json)
        print_sweep_json(m, points, n, how.seconds);
    else if (opts->csv)
        print_sweep_csv(points, n);
    else
        print_sweep_table(opts, m, &how, points, n, any_capped);
    return sweep_status(points, n);
}

/* Flags that a sweep or a table cannot honour, refused before anything
 * runs: one line, exit status 2. */
static int refuse_flags(const struct options *opts)
{
    const char *flag = opts->trace != NULL ? "--trace" : opts->timeline_json ? "--timeline-json" : NULL;
    if (opts->size_count > 0 && flag != NULL) {
        fprintf(stderr, "event_loop: %s: not with a --tasks list: a sweep keeps no task times\n", flag);
        return 2;
    }
    for (size_t i = 0; opts->size_count == 0 && i < opts->strategy_count; i++)
        if (over_the_cap(opts->strategies[i], opts->tasks)) { /* as the sweep caps them */
            fprintf(stderr,
                    "event_loop: --tasks %zu: processes would fork %zu children at once, over the %d "
                    "this demo forks; leave them out (--strategies event_loop,threads) or sweep "
                    "(--tasks 10,%zu)\n",
                    opts->tasks, opts->tasks, PROCESS_CAP, opts->tasks);
            return 2;
        }
    return 0;
}

int main(int argc, char **argv)
{
    struct options opts;
    struct machine m;
    int status = options_parse(argc, argv, &demo, &opts);
    if (status != OPTIONS_RUN)
        return status;
    if ((status = refuse_flags(&opts)) != 0 || (status = demo_setup(&demo, &opts, &m)) != 0)
        return status;
    return opts.size_count > 0 ? run_sweep(&opts, &m) : run_tables(&opts, &m);
}
