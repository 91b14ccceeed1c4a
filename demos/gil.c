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
#include "stats.h"

#include <stdio.h>

#define SLEEP_TASKS         10
#define SLEEP_SECONDS       0.1
#define CPU_SECONDS         0.25 /* and one cpu task per CPU */
#define QUICK_SLEEP_SECONDS 0.05
#define QUICK_CPU_SECONDS   0.05

static double switch_interval = GIL_DEFAULT_INTERVAL;

static const struct demo_flag flags[] = {
    {"switch-interval", DEMO_FLAG_SECONDS, "S", "wait this long before asking for the lock (default 0.005)",
     &switch_interval, NULL},
    {0},
};

static const struct demo_info demo = {
    .name = "gil",
    .summary = "Threads that share one global lock (like CPython's GIL) against plain threads\n"
               "and processes: the lock stops computing in parallel, not waiting.",
    .note = "notes/11-gil.md",
    .default_tasks = SLEEP_TASKS,
    .default_seconds = SLEEP_SECONDS,
    .quick_tasks = SLEEP_TASKS,
    .quick_seconds = QUICK_SLEEP_SECONDS,
    .default_strategies = "sequential,threads,threads+gil,processes",
    .harness = true,
    .flags = flags,
};

/* The speedup of strategy `name` in c, cut to 2 places, or 0 if not measured. */
static double speedup_of(const struct comparison *c, const char *name)
{
    const struct measurement *m = harness_find(c, name);
    return m != NULL ? stats_round_down(harness_speedup(c, m), 2) : 0.0;
}

static void gil_verdicts(const struct comparison *sleeping, const struct comparison *computing,
                         char verdicts[][VERDICT_SIZE])
{
    double gil_sleep = speedup_of(sleeping, "threads+gil"), gil_cpu = speedup_of(computing, "threads+gil");
    double threads_cpu = speedup_of(computing, "threads"), processes_cpu = speedup_of(computing, "processes");
    size_t cpus = computing->cpus.count;
    if (gil_sleep == 0.0 || gil_cpu == 0.0) {
        snprintf(verdicts[0], VERDICT_SIZE, "gil: nothing to judge (measure sequential and threads+gil)");
        snprintf(verdicts[1], VERDICT_SIZE, "gil: see the tables");
        return;
    }
    char why[128];
    if (verdict_not_the_lesson(sleeping, verdicts[0], VERDICT_SIZE))
        ; /* a row the machine cannot produce: said instead of the lesson */
    else if (gil_sleep >= VERDICT_WAITING_EFFICIENCY * (double)sleeping->ntasks)
        snprintf(verdicts[0], VERDICT_SIZE,
                 "sleep: threads+gil %.2fx -> the lock is let go while waiting: "
                 "waits still overlap",
                 gil_sleep);
    else {
        verdict_cause(sleeping, why, sizeof why);
        snprintf(verdicts[0], VERDICT_SIZE, "sleep: threads+gil only %.2fx of %zux -> %.100s", gil_sleep,
                 sleeping->ntasks, why);
    }
    if (cpus < 2 || computing->ntasks < 2)
        snprintf(verdicts[1], VERDICT_SIZE,
                 "cpu: threads+gil %.2fx -> with 1 CPU or 1 task nothing could "
                 "compute in parallel anyway",
                 gil_cpu);
    else if (verdict_not_the_lesson(computing, verdicts[1], VERDICT_SIZE))
        ; /* threads+gil over 1x is what one lock cannot give: what else ran is named */
    else if (gil_cpu < VERDICT_NO_SPEEDUP)
        snprintf(verdicts[1], VERDICT_SIZE,
                 "cpu: threads+gil %.2fx, threads %.2fx, processes %.2fx -> one "
                 "lock, one computing thread: processes each have their own",
                 gil_cpu, threads_cpu, processes_cpu);
    else if (verdict_cause(computing, why, sizeof why) != CAUSE_NONE) /* a busy machine, not the lock */
        snprintf(verdicts[1], VERDICT_SIZE, "cpu: threads+gil %.2fx?! -> not the lesson: %.100s", gil_cpu,
                 why);
    else
        snprintf(verdicts[1], VERDICT_SIZE,
                 "cpu: threads+gil %.2fx?! -> more than one thread computed at "
                 "once: the lock is not doing its job",
                 gil_cpu);
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
    gil_set_switch_interval(switch_interval); /* sys.setswitchinterval */

    struct comparison c[2];
    if ((status = demo_measure_both(&demo, &opts, opts.quick ? QUICK_CPU_SECONDS : CPU_SECONDS, c)) != 0)
        return status;
    char verdicts[2][VERDICT_SIZE], interval[96];
    gil_verdicts(&c[0], &c[1], verdicts);
    snprintf(interval, sizeof interval,
             "switch interval: %g s (a waiter asks the holder to let go after this long)", switch_interval);
    return demo_report(&demo, &opts, &m, c, 2, verdicts, 2, 1, interval);
}
