/*
 * scaling_report: what scaling's points mean (speedup, the ideal for the
 * chunks, Amdahl, Karp-Flatt), its table, plot, JSON and verdict. Apart
 * from demos/scaling.c, which measures the points, so that a test renders
 * them for a 16- or 64-CPU machine from crafted results.
 */
#ifndef ATONCE_SCALING_REPORT_H
#define ATONCE_SCALING_REPORT_H

#include "harness.h"
#include "machine.h"

#include <stddef.h>

#define SCALING_MAX_POINTS 15 /* worker counts: the plot's columns, 4 characters each, fit 80 */

#define SCALING_CHUNKS 48 /* the job's chunks, unless more CPUs need more */

/* Chunks enough for every CPU to take several: 48, or 4 per CPU above 12. */
size_t scaling_default_chunks(size_t cpus);

/* One worker count: its measurement and what it means. */
struct scaling_point {
    size_t workers;
    struct comparison c;
    double speedup, ideal, amdahl, karp_flatt;
};

/* Speedup against the one-worker wall; the ideal on `cpus` CPUs for the
 * comparison's chunks; Amdahl's speedup for `serial_fraction` there; and
 * the serial share the speedup implies (Karp-Flatt). */
void scaling_compute_point(struct scaling_point *p, double one_worker_wall, size_t cpus,
                           double serial_fraction);

/* One row per worker count, and the runs set aside. */
void scaling_print_table(const struct scaling_point *points, size_t n);

/* What the columns mean. */
void scaling_print_legend(double serial_fraction);

/* Measured, Amdahl and ideal speedup against workers, 10 rows high. */
void scaling_print_plot(const struct scaling_point *points, size_t n);

void scaling_print_json(const struct machine *m, const struct scaling_point *points, size_t n,
                        double serial_fraction, const char *verdict);

/* "scaling: best 1.98x (2 workers), 1.97x with 4 -> why" */
void scaling_verdict(const struct scaling_point *points, size_t n, size_t cpus, double serial_fraction,
                     char *buf, size_t size);

#endif
