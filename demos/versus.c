/*
 * versus: the headline. Sleeping tasks and computing tasks, each run one
 * after another, with threads and with processes: first on every CPU this
 * process may use, then pinned to one CPU. It ends in verdict lines
 * computed from what was measured.
 *
 * Usage: versus [--tasks N] [--seconds S] [--cpus LIST] [--quick] [--json] ...
 *
 * Pinned to one CPU, sleeping still speeds up about 10x (waiting overlaps:
 * concurrency is enough), while computing gives 1.0x: it speeds up only
 * with more CPUs (parallelism). notes/03-versus.md walks through a run,
 * which ended:
 *
 *   sleep: 9.79x on 1 CPU, 9.89x on 2 CPUs
 *     -> the waiting overlaps: concurrency is enough
 *   cpu: 0.97x on 1 CPU, 2.00x on 2 CPUs
 *     -> only parallelism speeds up computing
 */
#include "demo.h"
#include "report.h"
#include "verdict.h"

#include <stdio.h>

/* Short tasks, so the whole comparison takes about 20 s in class. */
#define SLEEP_TASKS         10
#define SLEEP_SECONDS       0.1
#define CPU_SECONDS         0.25 /* one cpu task per CPU; on 2 CPUs (demo_cpu_seconds) */
#define QUICK_SLEEP_SECONDS 0.05
#define QUICK_CPU_SECONDS   0.05

static const struct demo_info demo = {
    .name = "versus",
    .summary = N_("Sleeping tasks and computing tasks, on every CPU and then pinned to one: only\n"
                  "computing loses its speedup on one CPU. With no --tasks or --seconds: 10 sleeps\n"
                  "of 0.1 s, and one computing task per CPU (0.25 s each on 2 CPUs)."),
    .note = "notes/03-versus.md",
    .default_tasks = SLEEP_TASKS,
    .default_seconds = SLEEP_SECONDS,
    .quick_tasks = SLEEP_TASKS,
    .quick_seconds = QUICK_SLEEP_SECONDS,
    .default_strategies = "sequential,threads,processes",
    .harness = true,
    .shares_work = true,
};

enum { SLEEP_ALL, SLEEP_ONE, CPU_ALL, CPU_ONE, COMPARISONS };

/* Adds both workloads on `cpus` to the estimate of the whole run. */
static void estimate_on(struct demo_estimate *e, const char *label, const struct options *opts,
                        const struct machine *m, const struct cpu_list *cpus, const struct workload *sleep_w,
                        const struct workload *cpu_w)
{
    double capacity = machine_parallel_capacity(m, cpus);
    struct harness_plan sleeping = demo_plan(opts, opts->tasks, sleep_w),
                        computing = demo_plan(opts, demo_cpu_tasks(&demo, opts), cpu_w);
    char which[32];
    snprintf(which, sizeof which, "sleep %s", label);
    demo_estimate_add(e, which, &sleeping, sleep_w, capacity);
    snprintf(which, sizeof which, "cpu %s", label);
    demo_estimate_add(e, which, &computing, cpu_w, capacity);
}

/* Refuses a comparison that would take too long: both workloads on every
 * CPU, then again pinned to one (with `pinned`'s runs). */
static int refuse_long_run(const struct options *opts, const struct options *pinned, const struct machine *m,
                           const struct cpu_list *one_cpu, const struct workload *sleep_w,
                           const struct workload *cpu_w)
{
    struct demo_estimate e = {0};
    estimate_on(&e, "on every CPU", opts, m, &m->allowed, sleep_w, cpu_w);
    estimate_on(&e, "on 1 CPU", pinned, m, one_cpu, sleep_w, cpu_w);
    return demo_refuse_long_run(&demo, opts, &e, NULL);
}

/* Measures both workloads on `cpus`, into sleeping and computing. */
static int measure_on(const struct options *opts, const struct cpu_list *cpus, const struct workload *sleep_w,
                      const struct workload *cpu_w, struct comparison *sleeping, struct comparison *computing)
{
    int err = machine_pin(cpus);
    if (err != 0)
        return demo_fail(&demo, "sched_setaffinity", err);
    /* One cpu task per CPU we were given, in both passes: the same work. */
    size_t cpu_tasks = demo_cpu_tasks(&demo, opts);
    int status = demo_measure(&demo, opts, opts->tasks, sleep_w, sleeping);
    if (status == 0 && (status = demo_measure(&demo, opts, cpu_tasks, cpu_w, computing)) != 0)
        harness_free(sleeping);
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

    struct workload sleeping = {.kind = &workload_sleep, .seconds = opts.seconds};
    struct workload computing = {
        .kind = &workload_cpu,
        .seconds = demo_cpu_seconds(&demo, &opts, opts.quick ? QUICK_CPU_SECONDS : CPU_SECONDS)};
    struct cpu_list one_cpu = {.count = 1, .ids = {opts.cpus.ids[0]}};
    /* The pass on one CPU runs the code the pass on all CPUs has just run:
     * with --quick its computing needs no warm-up of its own. */
    struct options warm = opts;
    if (opts.quick)
        warm.compute_warmup = 0;
    if ((status = refuse_long_run(&opts, &warm, &m, &one_cpu, &sleeping, &computing)) != 0)
        return status;
    workload_calibrate(&computing); /* once: every run does the same units */

    struct comparison c[COMPARISONS];
    if ((status = measure_on(&opts, &opts.cpus, &sleeping, &computing, &c[SLEEP_ALL], &c[CPU_ALL])) != 0)
        return status;
    if ((status = measure_on(&warm, &one_cpu, &sleeping, &computing, &c[SLEEP_ONE], &c[CPU_ONE])) != 0) {
        harness_free(&c[SLEEP_ALL]);
        harness_free(&c[CPU_ALL]);
        return status;
    }
    machine_pin(&opts.cpus); /* back to every CPU we were given */

    char verdicts[2][VERDICT_SIZE];
    verdict_versus(&c[SLEEP_ALL], &c[SLEEP_ONE], verdicts[0], sizeof verdicts[0]);
    verdict_versus(&c[CPU_ALL], &c[CPU_ONE], verdicts[1], sizeof verdicts[1]);
    /* Tables for all four, timelines for the two cpu runs (the sleep ones: see the sleep demo). */
    return demo_report(&demo, &opts, &m, c, COMPARISONS, verdicts, 2, CPU_ALL, NULL);
}
