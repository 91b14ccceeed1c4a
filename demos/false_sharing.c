/*
 * false_sharing: each task adds 1 to a counter of its own, nothing shared,
 * and yet two ways run at very different speeds. The counters are either
 * side by side (8 bytes apart, in one cache line) or padded, each to its own
 * line (lib/counter.c: adjacent and per-task), each added to with an atomic
 * add; one after another and with a thread per task, on every CPU and then
 * pinned to one.
 *
 * Usage: false_sharing [--tasks N] [--seconds S] [--cpus LIST] [--quick] [--json] ...
 *
 * A CPU writes a whole cache line, not one counter: two CPUs writing
 * counters in one line pass the line back and forth on every addition, and
 * adjacent runs several times slower than padded. Pinned to one CPU the
 * line stays put and the two run alike. The cache line's size comes from
 * the machine (counter_line_size). notes/17-false_sharing.md walks through
 * a run.
 */
#include "counter.h"
#include "demo.h"
#include "report.h"

#include <stdio.h>

#define DEFAULT_SECONDS 0.05 /* each task's additions, padded, alone */
#define QUICK_SECONDS   0.02 /* the same, --quick */

static const struct demo_info demo = {
    .name = "false_sharing",
    .summary = N_("Each task adds 1 to its own counter: the counters side by side in one cache\n"
                  "line, or each padded to a line of its own; on every CPU, then pinned to one."),
    .note = "notes/17-false_sharing.md",
    .default_tasks = 0, /* one per CPU, at least 2 */
    .default_seconds = DEFAULT_SECONDS,
    .quick_tasks = 0,
    .quick_seconds = QUICK_SECONDS,
    .default_strategies = "sequential,threads",
    .harness = true,
    .default_tasks_help = N_("one per CPU, at least 2"),
    .seconds_help = N_("work: seconds of one task, padded"),
    .no_csv = true, /* four tables */
};

enum { PADDED_ALL, ADJACENT_ALL, PADDED_ONE, ADJACENT_ONE, COMPARISONS };

/* Measures both layouts on `cpus`, into c[0] (padded) and c[1] (adjacent). */
static int measure_on(const struct options *opts, const struct cpu_list *cpus, size_t ntasks, uint64_t units,
                      struct comparison *c)
{
    int err = machine_pin(cpus);
    if (err != 0)
        return demo_fail(&demo, "sched_setaffinity", err);
    struct workload padded = {.kind = &counter_per_task, .seconds = opts->seconds, .units = units};
    struct workload adjacent = {.kind = &counter_adjacent, .seconds = opts->seconds, .units = units};
    int status = demo_measure(&demo, opts, ntasks, &padded, &c[0]);
    if (status == 0 && (status = demo_measure(&demo, opts, ntasks, &adjacent, &c[1])) != 0)
        harness_free(&c[0]);
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
    struct workload sizing = {.kind = &counter_per_task, .seconds = opts.seconds};
    workload_calibrate(&sizing); /* one M for every table: the same additions */
    struct cpu_list one_cpu = {.count = 1, .ids = {opts.cpus.ids[0]}};

    struct comparison c[COMPARISONS];
    if ((status = measure_on(&opts, &opts.cpus, ntasks, sizing.units, &c[PADDED_ALL])) != 0)
        return status;
    if ((status = measure_on(&opts, &one_cpu, ntasks, sizing.units, &c[PADDED_ONE])) != 0) {
        harness_free(&c[PADDED_ALL]);
        harness_free(&c[ADJACENT_ALL]);
        return status;
    }
    machine_pin(&opts.cpus); /* back to every CPU we were given */

    char verdict[1][VERDICT_SIZE], line[160];
    verdict_false_sharing(&c[PADDED_ALL], &c[ADJACENT_ALL], &c[PADDED_ONE], &c[ADJACENT_ONE], verdict[0],
                          VERDICT_SIZE);
    snprintf(line, sizeof line, _("cache line: %zu bytes; adjacent counters 8 bytes apart, padded %zu apart"),
             counter_line_size(), counter_line_size());
    return demo_report(&demo, &opts, &m, c, COMPARISONS, verdict, 1, COMPARISONS, line);
}
