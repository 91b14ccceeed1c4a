#include "stats.h"

#include <math.h>
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
