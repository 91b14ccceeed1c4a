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
#include "progress.h"
#include "report.h"
#include "stats.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#define SWEEP_SECONDS     1.0  /* each task's sleep in a sweep, unless --seconds */
#define CPU_SECONDS       0.25 /* each cpu task in the tables; one per CPU */
#define QUICK_CPU_SECONDS 0.05
#define PROCESS_CAP       2000 /* children at most at once, in a sweep and in the tables */

static const struct demo_info demo = {
    .name = "event_loop",
    .summary = "Sleeping tasks in one thread with one timer each, against threads and\n"
               "processes; computing tasks too. --tasks 10,100,1000,10000 sweeps sizes.",
    .note = "notes/13-event_loop.md",
    .default_tasks = 10,
    .default_seconds = 0.2,
    .quick_tasks = 10,
    .quick_seconds = 0.05, /* 10 processes start in ~3 ms: under 10 % of it */
    .default_strategies = "sequential,event_loop,threads,processes",
    .harness = true,
    .tasks_list = true,
    .tasks_sleep_only = true, /* the computing table shows its lesson with one task per CPU */
    .tasks_help = "sleeping tasks (cpu: one per CPU), or a sweep: 10,100",
};

/* ---- the tables ---------------------------------------------------- */

static void table_verdicts(const struct comparison *sleeping, const struct comparison *computing,
                           char verdicts[][VERDICT_SIZE])
{
    const struct measurement *loop_sleep = harness_find(sleeping, "event_loop");
    const struct measurement *loop_cpu = harness_find(computing, "event_loop");
    if (loop_sleep == NULL || loop_cpu == NULL || harness_find(sleeping, "sequential") == NULL) {
        snprintf(verdicts[0], VERDICT_SIZE,
                 "event_loop: nothing to judge (measure sequential and event_loop)");
        snprintf(verdicts[1], VERDICT_SIZE, "event_loop: see the tables");
        return;
    }
    double s = stats_round_down(harness_speedup(sleeping, loop_sleep), 2);
    double c = stats_round_down(harness_speedup(computing, loop_cpu), 2);
    char why[128];
    if (verdict_not_the_lesson(sleeping, verdicts[0], VERDICT_SIZE))
        ; /* a row the machine cannot produce: said instead of the lesson */
    else if (s >= VERDICT_WAITING_EFFICIENCY * (double)sleeping->ntasks)
        snprintf(verdicts[0], VERDICT_SIZE,
                 "sleep: event_loop %.2fx in one thread -> waits overlap without "
                 "threads or processes",
                 s);
    else {
        verdict_cause(sleeping, why, sizeof why);
        snprintf(verdicts[0], VERDICT_SIZE, "sleep: event_loop only %.2fx of %zux -> %.100s", s,
                 sleeping->ntasks, why);
    }
    if (verdict_not_the_lesson(computing, verdicts[1], VERDICT_SIZE))
        ; /* one thread over 1x is what one thread cannot give: what else ran is named */
    else if (c < VERDICT_NO_SPEEDUP)
        snprintf(verdicts[1], VERDICT_SIZE,
                 "cpu: event_loop %.2fx -> one thread computes one task at a time, "
                 "as sequential does",
                 c);
    else
        snprintf(verdicts[1], VERDICT_SIZE,
                 "cpu: event_loop %.2fx?! -> one thread cannot compute two tasks "
                 "at once: a noisy run?",
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

/* One strategy at one size, measured in a fresh process. */
struct point {
    size_t tasks;
    const struct strategy *strategy;
    bool capped; /* not run: more children than PROCESS_CAP */
    bool failed;
    double wall;           /* seconds */
    double peak_mib;       /* the measuring process's peak RSS */
    double child_peak_mib; /* processes: the largest child's peak RSS */
    char failure[128];
};

static double mib(long kib)
{
    return (double)kib / 1024.0;
}

/* In a fresh child (so that its peak memory is this measurement's alone):
 * one run, no warm-up; the figures come back through a pipe. */
static void measure_point(struct point *p, double seconds)
{
    int pipefd[2];
    if (pipe(pipefd) != 0) {
        p->failed = true;
        snprintf(p->failure, sizeof p->failure, "pipe: %s", strerror(errno));
        return;
    }
    fflush(stdout);
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
        struct workload w = {.kind = WORKLOAD_SLEEP, .seconds = seconds};
        const struct strategy *list[] = {p->strategy};
        struct harness_plan plan = {.strategies = list, .count = 1, .ntasks = p->tasks, .runs = 1};
        struct comparison c;
        const char *failed_call = "?";
        int err = harness_compare(&plan, &w, &c, &failed_call);
        struct rusage self, children;
        getrusage(RUSAGE_SELF, &self);
        getrusage(RUSAGE_CHILDREN, &children);
        struct point out = *p;
        out.failed = err != 0;
        if (err != 0)
            strategy_failure_format(failed_call, err, out.failure, sizeof out.failure);
        else {
            out.wall = c.results[0].wall;
            out.failed = !harness_checksums_ok(&c);
            if (out.failed)
                snprintf(out.failure, sizeof out.failure, "checksum mismatch");
            harness_free(&c);
        }
        out.peak_mib = mib(self.ru_maxrss);
        out.child_peak_mib = mib(children.ru_maxrss);
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
        printf(" %8s %9s   capped at %d children (see below)\n", "-", "-", PROCESS_CAP);
    else if (p->failed)
        printf(" %8s %9s   failed: %s\n", "-", "-", p->failure);
    else if (p->strategy == &strategy_processes)
        printf(" %8.3f %9.1f   + %zu children, each up to %.1f MiB\n", p->wall, p->peak_mib, p->tasks,
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
            printf(", \"wall_s\": %.9g, \"peak_rss_mib\": %.4g, \"child_peak_rss_mib\": %.4g", p->wall,
                   p->peak_mib, p->child_peak_mib);
        printf("}");
    }
    printf("]}\n");
}

static int run_sweep(const struct options *opts, const struct machine *m)
{
    static const struct strategy *const sweep_strategies[] = {&strategy_event_loop, &strategy_threads,
                                                              &strategy_processes};
    double seconds = opts->seconds_given ? opts->seconds : SWEEP_SECONDS;
    struct point points[OPTIONS_MAX_SIZES * 3];
    size_t n = 0;
    bool any_capped = false;
    for (size_t s = 0; s < opts->size_count; s++)
        for (size_t k = 0; k < 3; k++) {
            struct point *p = &points[n++];
            *p = (struct point){.tasks = opts->sizes[s], .strategy = sweep_strategies[k]};
            p->capped = p->strategy == &strategy_processes && p->tasks > PROCESS_CAP;
            any_capped |= p->capped;
            progress_show("sweep: %zu tasks with %s (%zu of %zu)", p->tasks, p->strategy->name, n,
                          3 * opts->size_count);
            if (!p->capped)
                measure_point(p, seconds);
        }
    progress_clear();
    if (opts->json) {
        print_sweep_json(m, points, n, seconds);
        return 0;
    }
    struct options one_run = *opts; /* the header says how each point was measured */
    one_run.runs = 1;
    one_run.warmup = 0;
    report_header(&demo, &one_run, m, NULL);
    printf("\nsweep: each task sleeps %g s; one run per size, each in a fresh process;\n"
           "peak MiB is that process's peak memory (getrusage ru_maxrss)\n\n",
           seconds);
    printf("%7s  %-11s %8s %9s\n", "tasks", "strategy", "wall s", "peak MiB");
    for (size_t i = 0; i < n; i++)
        print_point(&points[i]);
    if (any_capped)
        printf("\nprocesses capped at %d: each child is a whole process (page tables, kernel\n"
               "structures, a slot under RLIMIT_NPROC); thousands more would take seconds to\n"
               "fork and reap and could exhaust a shared machine's process limit.\n",
               PROCESS_CAP);
    report_note(&demo);
    return 0;
}

/* Forking thousands of children at once: the tables refuse what the sweep
 * caps. One line, exit status 2, before anything runs. */
static int refuse_flags(const struct options *opts)
{
    for (size_t i = 0; opts->size_count == 0 && i < opts->strategy_count; i++)
        if (opts->strategies[i] == &strategy_processes && opts->tasks > PROCESS_CAP) {
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
