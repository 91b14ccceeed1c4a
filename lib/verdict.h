/*
 * verdict: one sentence on what a comparison shows, computed from the
 * measurements, never canned. When a run contradicts the lesson (a busy
 * machine, a single CPU, tasks too short), the sentence says what was
 * measured and why it may differ.
 *
 * The speedup quoted is the lower one among the strategies that could have
 * sped the work up (threads and processes), so the claim holds for each.
 */
#ifndef ATONCE_VERDICT_H
#define ATONCE_VERDICT_H

#include "harness.h"

#include <stddef.h>

#define VERDICT_SIZE 256

/* What one comparison shows, e.g.
 * "sleep: 9.97x with 10 tasks on 2 CPUs -> the waiting overlapped". */
void verdict_single(const struct comparison *c, char *buf, size_t size);

/* The headline for one workload measured twice, on every allowed CPU and
 * pinned to one, e.g.
 * "cpu: 1.00x on 1 CPU, 1.97x on 2 CPUs -> only parallelism speeds up computing". */
void verdict_versus(const struct comparison *all, const struct comparison *one, char *buf, size_t size);

/* The lower speedup among strategies that could speed this workload up,
 * or 0 when there is none (or no sequential run to compare with). */
double verdict_speedup(const struct comparison *c);

#endif
