#include "stats.h"

#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

static int compare_doubles(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

double stats_median(const double *values, size_t n)
{
    if (n == 0)
        return 0.0;
    double *sorted = malloc(n * sizeof *sorted); /* the caller's order is left alone */
    if (sorted == NULL)
        return NAN;
    memcpy(sorted, values, n * sizeof *sorted);
    qsort(sorted, n, sizeof *sorted, compare_doubles);
    double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0;
    free(sorted);
    return median;
}

size_t stats_median_index(const double *values, size_t n)
{
    size_t best = 0;
    for (size_t i = 0; i < n; i++) {
        size_t below = 0, equal_before = 0; /* rank of value i */
        for (size_t j = 0; j < n; j++) {
            below += values[j] < values[i];
            equal_before += j < i && values[j] == values[i];
        }
        if (below + equal_before == (n - 1) / 2)
            best = i;
    }
    return best;
}

double stats_min(const double *values, size_t n)
{
    double min = n > 0 ? values[0] : 0.0;
    for (size_t i = 1; i < n; i++)
        if (values[i] < min)
            min = values[i];
    return min;
}

double stats_max(const double *values, size_t n)
{
    double max = n > 0 ? values[0] : 0.0;
    for (size_t i = 1; i < n; i++)
        if (values[i] > max)
            max = values[i];
    return max;
}

double stats_spread(const double *values, size_t n)
{
    double median = stats_median(values, n);
    if (median <= 0.0)
        return 0.0;
    return (stats_max(values, n) - stats_min(values, n)) / median;
}

double stats_speedup(double baseline_wall, double wall)
{
    return wall > 0.0 ? baseline_wall / wall : 0.0;
}

double stats_efficiency(double speedup, double ideal)
{
    return ideal > 0.0 ? speedup / ideal : 0.0;
}

double stats_amdahl(double serial, double workers)
{
    return 1.0 / (serial + (1.0 - serial) / workers);
}

double stats_karp_flatt(double speedup, double workers)
{
    if (workers <= 1.0 || speedup <= 0.0)
        return NAN; /* one worker has no parallel part to judge */
    return (1.0 / speedup - 1.0 / workers) / (1.0 - 1.0 / workers);
}

double stats_round_down(double value, int decimals)
{
    double scale = pow(10.0, decimals);
    /* the small nudge keeps 1.15 (stored as 1.1499999...) from becoming 1.14 */
    return floor(value * scale + 1e-9) / scale;
}

double stats_ideal_speedup(size_t workers, size_t cpus, size_t chunks)
{
    if (workers == 0 || cpus == 0 || chunks == 0)
        return 0.0;
    size_t rounds = (chunks + workers - 1) / workers; /* the busiest worker's chunks */
    double most = (double)chunks / (double)rounds;
    double usable = (double)(workers < cpus ? workers : cpus);
    return most < usable ? most : usable;
}

/* The count after `count` in 1, 2, 3, 4, 6, 8, 12, 16, ... (each doubling
 * in two steps: x1.5, then x4/3), or with `doubling` in 1, 2, 4, 8, ... */
static size_t next_count(size_t count, bool doubling)
{
    if (doubling || count < 2)
        return 2 * count;
    bool power_of_two = (count & (count - 1)) == 0;
    return power_of_two ? count + count / 2 : count / 3 * 4;
}

/* Writes `count` at counts[n] if there is room; returns n + 1. */
static size_t put(size_t *counts, size_t max, size_t n, size_t count)
{
    if (n < max)
        counts[n] = count;
    return n + 1;
}

/* The sweep up to the first count at or past 2 x cpus, with `cpus` in its
 * place. Writes at most `max`; returns how many there are. */
static size_t sweep(size_t cpus, bool doubling, size_t *counts, size_t max)
{
    size_t n = 0, last = 0;
    for (size_t count = 1;; count = next_count(count, doubling)) {
        if (last < cpus && count > cpus) /* the knee: exactly as many workers as CPUs */
            n = put(counts, max, n, cpus);
        n = put(counts, max, n, count);
        last = count;
        if (count >= 2 * cpus)
            return n;
    }
}

size_t stats_worker_counts(size_t cpus, size_t *counts, size_t max)
{
    if (cpus == 0)
        cpus = 1;
    size_t n = sweep(cpus, false, counts, max);
    if (n > max)
        n = sweep(cpus, true, counts, max);
    return n < max ? n : max;
}
