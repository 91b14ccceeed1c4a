/*
 * harness: the experiment every harness demo runs. For each strategy: a few
 * warm-up runs (not kept), then measured runs, each timed from before the
 * first thread or child is created to after the last one is reaped (that is
 * what a user waits for). The median run is kept, with the fastest and
 * slowest, and every run's checksum is compared with the first strategy's
 * (sequential, when it is measured).
 *
 * The harness prints nothing: report turns a comparison into a table.
 */
#ifndef ATONCE_HARNESS_H
#define ATONCE_HARNESS_H

#include "load.h"
#include "machine.h"
#include "strategy.h"
#include "workload.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define HARNESS_MAX_STRATEGIES 8

/* A run is set aside, and another run added (up to three times the runs
 * asked for), when one of these shows it was not a fair measurement: */
#define HARNESS_FAIR_SHARE  0.95 /* a computing worker was off its CPU for 5 % of the run */
#define HARNESS_LATE_SHARE  0.05 /* a task started, or the run overran its tasks, by start-up + 5 % */
#define HARNESS_SLOWER_TASK 0.05 /* a task needed 5 % more CPU time than the fastest run's */

/* Why a run was not a fair measurement (a mask, 0 = fair). */
enum disturbance {
    DISTURB_WAITED = 1, /* a computing worker waited for a CPU while its tasks were open */
    DISTURB_LATE = 2,   /* a task started late, or the run took longer than one undisturbed task */
    DISTURB_SLOWED = 4, /* the tasks needed more CPU time for the same work: a slower CPU */
};

/* One strategy, measured over several runs. */
struct measurement {
    const struct strategy *strategy;
    int runs;               /* measured runs (warm-ups not counted), set aside ones included */
    int set_aside;          /* runs left out of the median as not fair */
    unsigned set_aside_why; /* enum disturbance: what disturbed those */
    unsigned disturbed;     /* what disturbed the kept runs: 0 unless no run was fair */
    double wall;            /* median wall time of the kept runs, seconds */
    double wall_min;        /* fastest kept run */
    double wall_max;        /* slowest kept run */
    double user, sys;       /* median CPU time of the runs, seconds */
    uint64_t checksum;      /* combined over the tasks; the same in every run */
    bool checksum_ok;       /* equal to the reference strategy's checksum */
    struct span *spans;     /* ntasks spans of the median run, relative to its start */
    double wall_total;      /* all measured runs together, seconds */
    struct load load;       /* what else took the CPUs, over all measured runs */
    /* A kind with a result (workload_kind.result: a shared counter's
     * count): the median run's, and how many measured runs' result was not
     * the comparison's expected_result. A wrong result is not a wrong
     * checksum: where tasks race, it is the lesson. */
    uint64_t result;
    int wrong_results;
};

/* The same workload under several strategies, on one set of CPUs. */
struct comparison {
    struct workload workload;
    size_t ntasks;
    struct cpu_list cpus; /* the CPUs the runs were allowed to use */
    int cores;            /* the physical cores those CPUs belong to, or MACHINE_UNKNOWN */
    int warmup;           /* warm-up runs before each strategy's measured runs */
    int runs;             /* measured runs asked for each strategy (a result's runs may be more) */
    int boost;            /* 1: the clock may boost when few CPUs are busy; 0 or MACHINE_UNKNOWN */
    double quota;         /* the cgroup's CPU quota in CPUs' worth, QUOTA_NONE or MACHINE_UNKNOWN */
    size_t efficiency;    /* how many of those CPUs are a hybrid CPU's slower efficiency cores */
    /* What every run was given (the plan's, with `workers` 0 made the CPU
     * count, so that it says how many workers a pool really had). */
    struct strategy_context strategy_context;
    uint64_t expected_result; /* what every run's result should be (workload_kind.expected), or 0 */
    size_t count;             /* how many strategies were measured */
    struct measurement results[HARNESS_MAX_STRATEGIES];
};

/* What to measure and how often. A strategy's runs are judged as they
 * come (harness_disturbance): while fewer than `runs` were fair, another is
 * added, up to 2 x runs; when every strategy has run, those still short of
 * fair runs (judged again: a later strategy's faster tasks can show an
 * earlier one's runs were slowed) get up to 3 x runs in all. A median is
 * that of the fair runs, or of all when none was fair. */
struct harness_plan {
    const struct strategy *const *strategies; /* count of them */
    size_t count;
    size_t ntasks;
    int warmup; /* runs before measuring, not kept */
    int runs;   /* measured runs, at least 1 */
    /* Handed to every strategy's run: workers, the gil's switch interval,
     * a serial part (strategy.h). demo_plan copies the options'. */
    struct strategy_context strategy_context;
    /* A task's CPU time measured undisturbed before, on the same work (scaling:
     * the one-worker point's), or 0: a run whose tasks need 5 % more is not
     * fair even when every run of this comparison is slowed alike. */
    double reference_task_cpu;
    /* Called before each run (may be NULL), e.g. for a progress line. */
    void (*on_run)(const struct strategy *s, int run, int total, void *context);
    void *context;
};

/* Measures `w` under every strategy of `plan` on the CPUs this process may
 * use now, filling `out` (free it with harness_free), with what else took
 * those CPUs during the runs (load). Returns 0, or -errno with *failed_call
 * naming the call that failed, or -STRATEGY_SAID_IN_FULL with the whole
 * reason (strategy_failure_format puts either into words). */
int harness_compare(const struct harness_plan *plan, const struct workload *w, struct comparison *out,
                    const char **failed_call);

/* What disturbed one run of strategy `s` in comparison `c` (its cpus,
 * quota, cores, workload and ntasks are set), from its tasks' spans and
 * its wall time: enum disturbance bits, 0 for a fair run. Sleeping tasks
 * are judged only by when they start and how long the run took.
 * `fastest_task_cpu` is the lowest mean CPU time of a task seen so far in
 * the comparison (0: none). */
unsigned harness_disturbance(const struct comparison *c, const struct strategy *s, const struct span *spans,
                             double wall, double fastest_task_cpu);

/* The mean CPU time of the tasks of one run, seconds. */
double harness_mean_task_cpu(const struct span *spans, size_t ntasks);

/* Frees the spans a comparison holds. */
void harness_free(struct comparison *c);

/* Do all checksums in `c` match? */
bool harness_checksums_ok(const struct comparison *c);

/* The measurement of the strategy called `name` in `c`, or NULL. */
const struct measurement *harness_find(const struct comparison *c, const char *name);

/* The best speedup strategy `m` could show in this comparison. A strategy
 * that overlaps waiting can sleep every task at once, on any number of
 * CPUs: ideal = tasks. Computing needs a CPU per task: a strategy that
 * computes in parallel reaches at most min(tasks, CPUs allowed, CPU quota).
 * Anything else does one task at a time: ideal = 1. */
double harness_ideal_speedup(const struct comparison *c, const struct measurement *m);

/* Can strategy `s` overlap what this workload needs overlapped: waiting
 * for sleep, computing for cpu? */
bool harness_can_speed_up(const struct comparison *c, const struct strategy *s);

/* The same rule for a strategy that can overlap what the workload needs
 * overlapped (waiting for sleep, computing for cpu): tasks for sleep,
 * min(tasks, CPUs allowed, CPU quota) for cpu. */
double harness_best_ideal(const struct comparison *c);

/* The measurement's speedup against sequential in the same comparison,
 * or 0 when sequential was not measured. */
double harness_speedup(const struct comparison *c, const struct measurement *m);

/* How long one run of strategy `s` should take, from the plan alone, on
 * `capacity` CPUs' worth (machine_capacity): starting its workers one after
 * another (s->start_cost each), then its tasks. Waiting: `seconds` for a
 * strategy that overlaps it (once per round when fewer workers than tasks),
 * tasks x seconds for one that does not. Computing: tasks x seconds shared
 * by the tasks that run at once, no more of them than `capacity`; tasks x
 * seconds for a strategy that cannot compute in parallel. A context's
 * serial part adds its seconds; shared workers left to the machine
 * (workers 0) count as `capacity` rounded up. */
double harness_estimate_run(const struct strategy *s, const struct strategy_context *context,
                            const struct workload *w, size_t ntasks, double capacity);

/* How long harness_compare(plan, w) should take: each strategy's warm-ups
 * and runs, each run as harness_estimate_run says. It counts the runs asked
 * for, not those the harness adds when it sets a run aside as not fair (up
 * to 3x the runs, only while something disturbs the machine): it estimates
 * a quiet machine's run, which a busy one can make longer. */
double harness_estimate(const struct harness_plan *plan, const struct workload *w, double capacity);

#endif
