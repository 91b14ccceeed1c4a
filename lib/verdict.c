#include "verdict.h"

#include "stats.h"

#include <stdio.h>

#define GOOD_EFFICIENCY 0.8 /* at least 80 % of the ideal speedup counts as "sped up as expected" */
#define NO_SPEEDUP      1.2 /* below 1.2x counts as "no real speedup" */

double verdict_speedup(const struct comparison *c)
{
    double lowest = 0.0;
    for (size_t i = 0; i < c->count; i++) {
        const struct measurement *m = &c->results[i];
        double speedup = harness_speedup(c, m);
        if (harness_can_speed_up(c, m->strategy) && speedup > 0.0 && (lowest == 0.0 || speedup < lowest))
            lowest = speedup;
    }
    return lowest;
}

/* A speedup as the verdict prints it: cut, never rounded up, to 2 places. */
static double shown(double speedup)
{
    return stats_round_down(speedup, 2);
}

static const char *cpus_word(size_t n)
{
    return n == 1 ? "CPU" : "CPUs";
}

/* The ideal the verdict holds the speedup to: the lowest among the
 * strategies that can speed up, as verdict_speedup takes their lowest
 * speedup. It is harness_best_ideal unless a strategy deals out the tasks
 * in fixed shares (mpi_cpu). */
static double lowest_ideal(const struct comparison *c)
{
    double lowest = harness_best_ideal(c);
    for (size_t i = 0; i < c->count; i++)
        if (harness_can_speed_up(c, c->results[i].strategy)) {
            double ideal = harness_ideal_speedup(c, &c->results[i]);
            lowest = ideal < lowest ? ideal : lowest;
        }
    return lowest;
}

void verdict_single(const struct comparison *c, char *buf, size_t size)
{
    const char *kind = workload_kind_name(c->workload.kind);
    double speedup = shown(verdict_speedup(c)), ideal = lowest_ideal(c);
    size_t cpus = c->cpus.count;
    if (speedup == 0.0)
        snprintf(buf, size, "%s: no speedup to judge (it needs sequential and one other strategy)", kind);
    else if (c->workload.kind == WORKLOAD_SLEEP && speedup >= GOOD_EFFICIENCY * ideal)
        snprintf(buf, size, "%s: %.2fx on %zu %s (ideal %gx) -> the waiting overlapped", kind, speedup, cpus,
                 cpus_word(cpus), ideal);
    else if (c->workload.kind == WORKLOAD_SLEEP)
        snprintf(buf, size,
                 "%s: only %.2fx of an ideal %gx -> tasks too short for the start-up cost, "
                 "or a busy machine",
                 kind, speedup, ideal);
    else if (c->ntasks < 2)
        snprintf(buf, size, "%s: %.2fx with 1 task -> nothing to run in parallel: try --tasks 2", kind,
                 speedup);
    else if (cpus < 2)
        snprintf(buf, size, "%s: %.2fx on 1 CPU -> one CPU computes one task at a time: no speedup", kind,
                 speedup);
    else if (speedup >= GOOD_EFFICIENCY * ideal)
        snprintf(buf, size, "%s: %.2fx on %zu CPUs (ideal %gx) -> the tasks computed in parallel", kind,
                 speedup, cpus, ideal);
    else
        snprintf(buf, size,
                 "%s: only %.2fx of an ideal %gx on %zu CPUs -> other programs may be using the CPUs", kind,
                 speedup, ideal, cpus);
}

static void verdict_versus_sleep(double on_one, double on_all, const struct comparison *all, char *buf,
                                 size_t size)
{
    double ideal = harness_best_ideal(all);
    size_t cpus = all->cpus.count;
    char measured[64];
    if (cpus < 2) /* "all" was one CPU too: say it once */
        snprintf(measured, sizeof measured, "sleep: %.2fx on 1 CPU", on_one);
    else
        snprintf(measured, sizeof measured, "sleep: %.2fx on 1 CPU, %.2fx on %zu CPUs", on_one, on_all, cpus);
    if (on_one >= GOOD_EFFICIENCY * ideal)
        snprintf(buf, size, "%s -> the waiting overlaps: concurrency is enough", measured);
    else
        snprintf(buf, size, "%s -> short of the ideal %.0fx: tasks too short, or a busy machine", measured,
                 ideal);
}

static void verdict_versus_cpu(double on_one, double on_all, const struct comparison *all, char *buf,
                               size_t size)
{
    double ideal = harness_best_ideal(all);
    size_t cpus = all->cpus.count;
    if (cpus < 2)
        snprintf(buf, size, "cpu: %.2fx on 1 CPU -> only 1 CPU is allowed: no parallelism to show", on_one);
    else if (ideal < 2.0)
        snprintf(buf, size,
                 "cpu: %.2fx on 1 CPU, %.2fx on %zu CPUs -> with 1 task there is nothing "
                 "to run in parallel: try --tasks %zu",
                 on_one, on_all, cpus, cpus);
    else if (on_one >= NO_SPEEDUP)
        snprintf(buf, size,
                 "cpu: %.2fx on 1 CPU?! -> computing cannot overlap on one CPU: "
                 "a noisy measurement? rerun with --runs 5",
                 on_one);
    else if (on_all >= GOOD_EFFICIENCY * ideal)
        snprintf(buf, size,
                 "cpu: %.2fx on 1 CPU, %.2fx on %zu CPUs -> only parallelism speeds up "
                 "computing",
                 on_one, on_all, cpus);
    else
        snprintf(buf, size,
                 "cpu: %.2fx on 1 CPU, %.2fx on %zu CPUs -> short of the ideal %.0fx: "
                 "other programs may be using the CPUs",
                 on_one, on_all, cpus, ideal);
}

void verdict_versus(const struct comparison *all, const struct comparison *one, char *buf, size_t size)
{
    double on_all = shown(verdict_speedup(all)), on_one = shown(verdict_speedup(one));
    if (on_all == 0.0 || on_one == 0.0)
        snprintf(buf, size, "%s: no speedup to judge (it needs sequential and one other strategy)",
                 workload_kind_name(all->workload.kind));
    else if (all->workload.kind == WORKLOAD_SLEEP)
        verdict_versus_sleep(on_one, on_all, all, buf, size);
    else
        verdict_versus_cpu(on_one, on_all, all, buf, size);
}
