/*
 * gil: why the seed's Python reaches for subprocess. Threads that must hold
 * one global lock to compute, as in CPython, against plain threads and
 * processes, for sleeping tasks and for computing tasks.
 *
 * Usage: gil [--switch-interval S] [--tasks N] [--seconds S] [--quick] [--json] ...
 *
 * Sleeping lets go of the lock, so sleeps still overlap under the GIL (about
 * 10x). Computing needs the lock, so threads+gil computes one task at a
 * time (about 1.0x) while processes, each with its own interpreter and so
 * its own lock, reach about CPUs x. notes/11-gil.md walks through a run.
 */
#include "gil.h"
#include "demo.h"
#include "report.h"
#include "verdict.h"

#include <stdio.h>

#define SLEEP_TASKS         10
#define SLEEP_SECONDS       0.1
#define CPU_SECONDS         0.25 /* one cpu task per CPU; on 2 CPUs (demo_cpu_seconds) */
#define QUICK_SLEEP_SECONDS 0.05
#define QUICK_CPU_SECONDS   0.05

static double switch_interval = GIL_DEFAULT_INTERVAL;

static const struct demo_flag flags[] = {
    {"switch-interval", DEMO_FLAG_SECONDS, "S",
     N_("wait this long before asking for the lock (default 0.005)"), &switch_interval, NULL},
    {0},
};

static const struct demo_info demo = {
    .name = "gil",
    .summary = N_("Threads that share one global lock (like CPython's GIL) against plain threads\n"
                  "and processes: the lock stops computing in parallel, not waiting."),
    .note = "notes/11-gil.md",
    .default_tasks = SLEEP_TASKS,
    .default_seconds = SLEEP_SECONDS,
    .quick_tasks = SLEEP_TASKS,
    .quick_seconds = QUICK_SLEEP_SECONDS,
    .default_strategies = "sequential,threads,threads+gil,processes",
    .harness = true,
    .shares_work = true,
    .flags = flags,
};

int main(int argc, char **argv)
{
    struct options opts;
    struct machine m;
    int status = options_parse(argc, argv, &demo, &opts);
    if (status != OPTIONS_RUN)
        return status;
    if ((status = demo_setup(&demo, &opts, &m)) != 0)
        return status;
    opts.strategy_context.switch_interval = switch_interval; /* sys.setswitchinterval */

    struct comparison c[2];
    if ((status = demo_measure_both(&demo, &opts, &m, opts.quick ? QUICK_CPU_SECONDS : CPU_SECONDS, c)) != 0)
        return status;
    char verdicts[2][VERDICT_SIZE], interval[160];
    verdict_gil(&c[0], &c[1], verdicts[0], verdicts[1], VERDICT_SIZE);
    snprintf(interval, sizeof interval,
             _("switch interval: %g s (a waiter asks the holder to let go after this long)"),
             switch_interval);
    return demo_report(&demo, &opts, &m, c, 2, verdicts, 2, 1, interval);
}
