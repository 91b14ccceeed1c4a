/*
 * stats: the arithmetic behind the table, with no clock in sight, so that
 * tests can feed it numbers and check what comes out.
 */
#ifndef ATONCE_STATS_H
#define ATONCE_STATS_H

#include <stddef.h>

/* The middle value (the mean of the two middle values for an even count).
 * Does not reorder `values`. Returns 0 for n == 0, NAN if out of memory. */
double stats_median(const double *values, size_t n);
double stats_min(const double *values, size_t n);

/* Which of the values is the (lower) median: the run to show as typical.
 * 0 for n == 0. */
size_t stats_median_index(const double *values, size_t n);
double stats_max(const double *values, size_t n);

/* (max - min) / median: 0.05 means the runs spread over 5 % of the median. */
double stats_spread(const double *values, size_t n);

/* How many times faster than the baseline: baseline_wall / wall. */
double stats_speedup(double baseline_wall, double wall);

/* What share of the ideal speedup was reached: speedup / ideal. */
double stats_efficiency(double speedup, double ideal);

/* Amdahl's law: the speedup on `workers` workers of a job whose share
 * `serial` (0..1) cannot run in parallel: 1 / (serial + (1 - serial) / workers). */
double stats_amdahl(double serial, double workers);

/* Karp-Flatt: the serial share that a measured speedup on `workers`
 * workers (more than 1) implies: (1/speedup - 1/workers) / (1 - 1/workers).
 * It grows with workers when the overhead of more workers is the limit. */
double stats_karp_flatt(double speedup, double workers);

/* The best speedup `workers` workers can give a job of `chunks` equal
 * chunks on `cpus` CPUs: no more than the CPUs, nor than the chunks allow
 * when they do not share out evenly (48 chunks on 33 workers: 2 rounds,
 * 24x at most). */
double stats_ideal_speedup(size_t workers, size_t cpus, size_t chunks);

/* The worker counts of a scaling sweep on `cpus` CPUs, at most `max` of
 * them: 1, 2, 3, 4, 6, 8, 12, ... (when too many, 1, 2, 4, 8,
 * ...), with `cpus` itself, up to the first count at or past 2 x cpus, so
 * that it always measures past the CPUs (with max >= 15, up to 1024 CPUs).
 * Returns how many it wrote. */
size_t stats_worker_counts(size_t cpus, size_t *counts, size_t max);

/* `value` cut to `decimals` places, never rounded up: for showing ratios,
 * so that 9.996x reads 9.99x and not a perfect-looking 10.00x. */
double stats_round_down(double value, int decimals);

#endif
