/*
 * sleep: ten tasks that each sleep one second, run one after another, with
 * one thread per task, and with one child process per task.
 *
 * Usage: sleep [--tasks N] [--seconds S] [--cpus LIST] [--quick] [--json] ...
 *
 * Sleeping needs no CPU, so the waits overlap: threads and processes finish
 * all ten in about one second instead of ten, even on one CPU (--cpus 0).
 * That is concurrency: tasks in progress at the same time, taking turns.
 * The output is a table (wall time, CPU time, CPU use, speedup) and a
 * timeline; notes/01-sleep.md walks through a real run, which began:
 *
 *   10 tasks, each sleeps 1 s, on 2 CPUs (0,1)
 *   strategy     wall s  min-max s      cpu s    use  speedup  ideal   eff  check
 *   sequential   10.001  10.001-10.002  0.001     0%    1.00x     1x  100%  ok
 *   threads       1.001  1.001-1.001    0.001     0%    9.99x    10x   99%  ok
 *   processes     1.002  1.001-1.002    0.003     0%    9.98x    10x   99%  ok
 */
#include "demo.h"

static const struct demo_info demo = {
    .name = "sleep",
    .summary = N_("Runs tasks that each sleep: one after another, with threads, with processes.\n"
                  "Waiting overlaps, so threads and processes finish in about one task's time."),
    .note = "notes/01-sleep.md",
    .default_tasks = 10,
    .default_seconds = 1.0, /* 10 x 1 s: 10 s sequential, 1 s at once */
    .quick_tasks = 10,
    .quick_seconds = 0.05,
    .default_strategies = "sequential,threads,processes",
    .harness = true,
};

int main(int argc, char **argv)
{
    struct options opts;
    int done = options_parse(argc, argv, &demo, &opts);
    if (done != OPTIONS_RUN)
        return done;
    struct workload sleeping = {.kind = &workload_sleep, .seconds = opts.seconds};
    return demo_run_single(&demo, &opts, &sleeping);
}
