/*
 * cpu: one task per CPU, each computing about half a second on 2 CPUs (a
 * xorshift loop that yields a checksum; on more CPUs the tasks share the
 * work of two, lib/options.h), run one after another, with one thread per
 * task, and with one child process per task.
 *
 * Usage: cpu [--tasks N] [--seconds S] [--cpus LIST] [--quick] [--json] ...
 *
 * Computing needs a CPU the whole time, so it speeds up only when tasks run
 * on different CPUs at the same instant: parallelism. On 2 CPUs threads and
 * processes come close to 2x; pinned to one CPU (--cpus 0 --tasks 2) they
 * give 1.0x, however many threads there are. notes/02-cpu.md walks through a real run,
 * which began:
 *
 *   2 tasks, each computes 0.5 s of CPU, on 2 CPUs (0,1)
 *   strategy     wall s  min-max s      cpu s    use  speedup  ideal   eff  check
 *   sequential    0.990  0.981-0.995    0.990    99%    1.00x     1x  100%  ok
 *   threads       0.496  0.491-0.498    0.980   197%    1.99x     2x   99%  ok
 *   processes     0.493  0.492-0.503    0.982   199%    2.01x     2x  100%  ok
 */
#include "demo.h"

static const struct demo_info demo = {
    .name = "cpu",
    .summary = N_("Runs tasks that each compute: one after another, with threads, with processes.\n"
                  "Computing speeds up only when tasks run on different CPUs at the same instant."),
    .note = "notes/02-cpu.md",
    .default_tasks = 0,
    .default_seconds = 0.5, /* 0: one task per CPU allowed */
    .quick_tasks = 0,
    .quick_seconds = 0.05, /* the median of 3 runs after a warm-up (options.h) */
    .default_strategies = "sequential,threads,processes" STRATEGY_OPENMP_IF_BUILT,
    .harness = true,
    .shares_work = true,
};

int main(int argc, char **argv)
{
    struct options opts;
    int done = options_parse(argc, argv, &demo, &opts);
    if (done != OPTIONS_RUN)
        return done;
    struct workload computing = {.kind = &workload_cpu,
                                 .seconds = demo_cpu_seconds(&demo, &opts, opts.seconds)};
    return demo_run_single(&demo, &opts, &computing); /* calibrates units to the seconds first */
}
