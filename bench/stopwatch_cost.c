/*
 * stopwatch_cost: what one reading of each clock costs, in nanoseconds.
 * Every span the harness records takes two readings of stopwatch_now(), and
 * every run two of stopwatch_cpu(), so this is the harness's own overhead.
 *
 * Usage: stopwatch_cost      (prints the median of 7 batches, and the range)
 */
#include "stats.h"
#include "stopwatch.h"

#include <stdio.h>

#define BATCHES 7

/* Nanoseconds per call of `read_clock`, timed over `calls` calls. */
static double ns_per_call(void (*read_clock)(void), long calls)
{
    double start = stopwatch_now();
    for (long i = 0; i < calls; i++)
        read_clock();
    return (stopwatch_now() - start) / (double)calls * 1e9;
}

static volatile double sink; /* keeps the readings from being optimised away */

static void read_now(void)
{
    sink = stopwatch_now();
}
static void read_thread_cpu(void)
{
    sink = stopwatch_thread_cpu();
}
static void read_cpu(void)
{
    struct cpu_times t;
    stopwatch_cpu(&t);
    sink = t.user;
}

static void measure(const char *name, void (*read_clock)(void), long calls)
{
    double ns[BATCHES];
    for (int b = 0; b < BATCHES; b++)
        ns[b] = ns_per_call(read_clock, calls);
    printf("%-34s %8.1f ns  (%.1f-%.1f)\n", name, stats_median(ns, BATCHES), stats_min(ns, BATCHES),
           stats_max(ns, BATCHES));
}

int main(void)
{
    printf("%-34s %11s  %s\n", "one reading of", "median", "(min-max of 7 batches)");
    measure("stopwatch_now (CLOCK_MONOTONIC)", read_now, 2000000);
    measure("stopwatch_thread_cpu", read_thread_cpu, 500000);
    measure("stopwatch_cpu (2 x getrusage)", read_cpu, 200000);
    return 0;
}
