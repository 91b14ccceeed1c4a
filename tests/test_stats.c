/* stats: the arithmetic behind the table, fed numbers by hand.
 * workload: checksums combine independently of order, and cpu tasks are
 * deterministic. No clocks are read here. */
#include "stats.h"
#include "workload.h"

#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#define EPSILON 1e-12

/* ---- stats_median ----------------------------------------------------- */

Test(stats, median_of_odd_count_is_middle_value)
{
    const double values[] = {5.0, 1.0, 3.0};
    cr_assert_float_eq(stats_median(values, 3), 3.0, EPSILON);
}

Test(stats, median_of_even_count_is_mean_of_two_middle_values)
{
    const double values[] = {4.0, 1.0, 3.0, 10.0};
    cr_assert_float_eq(stats_median(values, 4), 3.5, EPSILON);
}

Test(stats, median_of_one_value_is_that_value)
{
    const double values[] = {2.5};
    cr_assert_float_eq(stats_median(values, 1), 2.5, EPSILON);
}

Test(stats, median_of_no_values_is_zero)
{
    const double values[] = {7.0};
    cr_assert_float_eq(stats_median(values, 0), 0.0, EPSILON);
}

Test(stats, median_does_not_reorder_callers_array)
{
    double values[] = {9.0, 2.0, 7.0, 1.0, 5.0};
    const double before[] = {9.0, 2.0, 7.0, 1.0, 5.0};
    cr_assert_float_eq(stats_median(values, 5), 5.0, EPSILON);
    cr_assert_arr_eq(values, before, sizeof values);
}

/* ---- min, max, spread ---------------------------------------------------- */

Test(stats, min_and_max_find_extremes_anywhere_in_array)
{
    const double values[] = {3.0, -1.5, 8.25, 0.0, 2.0};
    cr_assert_float_eq(stats_min(values, 5), -1.5, EPSILON);
    cr_assert_float_eq(stats_max(values, 5), 8.25, EPSILON);
}

Test(stats, min_and_max_of_one_value_are_that_value)
{
    const double values[] = {4.0};
    cr_assert_float_eq(stats_min(values, 1), 4.0, EPSILON);
    cr_assert_float_eq(stats_max(values, 1), 4.0, EPSILON);
}

Test(stats, median_index_points_at_the_lower_median_even_among_ties)
{
    double odd[] = {3.0, 1.0, 2.0};
    cr_assert_eq(stats_median_index(odd, 3), 2);
    double even[] = {4.0, 1.0, 3.0, 2.0}; /* lower median: 2.0 */
    cr_assert_eq(stats_median_index(even, 4), 3);
    double ties[] = {5.0, 5.0, 5.0};
    cr_assert_eq(stats_median_index(ties, 3), 1);
    cr_assert_eq(stats_median_index(NULL, 0), 0);
}

Test(stats, spread_is_range_over_median)
{
    /* median 2.0, max 2.2, min 1.9: (2.2 - 1.9) / 2.0 = 0.15 */
    const double values[] = {2.2, 1.9, 2.0};
    cr_assert_float_eq(stats_spread(values, 3), 0.15, 1e-9);
}

Test(stats, spread_of_identical_values_is_zero)
{
    const double values[] = {1.0, 1.0, 1.0, 1.0};
    cr_assert_float_eq(stats_spread(values, 4), 0.0, EPSILON);
}

/* ---- speedup and efficiency -------------------------------------------- */

Test(stats, speedup_is_baseline_over_wall)
{
    cr_assert_float_eq(stats_speedup(10.0, 2.0), 5.0, EPSILON);
    cr_assert_float_eq(stats_speedup(1.0, 4.0), 0.25, EPSILON);
}

Test(stats, speedup_for_zero_wall_is_zero)
{
    cr_assert_float_eq(stats_speedup(10.0, 0.0), 0.0, EPSILON);
}

Test(stats, efficiency_is_speedup_over_ideal)
{
    cr_assert_float_eq(stats_efficiency(1.6, 2.0), 0.8, 1e-9);
    cr_assert_float_eq(stats_efficiency(10.0, 10.0), 1.0, EPSILON);
}

Test(stats, efficiency_for_zero_ideal_is_zero)
{
    cr_assert_float_eq(stats_efficiency(3.0, 0.0), 0.0, EPSILON);
}

/* ---- workload_combine ---------------------------------------------------- */

static uint64_t combine_all(const uint64_t *checksums, size_t n)
{
    uint64_t combined = 0;
    for (size_t i = 0; i < n; i++)
        combined = workload_combine(combined, checksums[i]);
    return combined;
}

static const uint64_t task_sums[] = {UINT64_C(0x0123456789abcdef), UINT64_C(0xfedcba9876543210),
                                     UINT64_C(0xdeadbeefcafef00d), UINT64_C(42),
                                     UINT64_C(0xffffffffffffffff)};

Test(workload, combine_is_the_same_in_any_order)
{
    const uint64_t reversed[] = {task_sums[4], task_sums[3], task_sums[2], task_sums[1], task_sums[0]};
    const uint64_t shuffled[] = {task_sums[2], task_sums[0], task_sums[4], task_sums[1], task_sums[3]};
    const uint64_t rotated[] = {task_sums[1], task_sums[2], task_sums[3], task_sums[4], task_sums[0]};
    uint64_t expected = combine_all(task_sums, 5);
    cr_assert_eq(combine_all(reversed, 5), expected);
    cr_assert_eq(combine_all(shuffled, 5), expected);
    cr_assert_eq(combine_all(rotated, 5), expected);
}

Test(workload, combine_changes_when_a_task_is_lost)
{
    const uint64_t missing_one[] = {task_sums[0], task_sums[1], task_sums[2], task_sums[4]};
    cr_assert_neq(combine_all(missing_one, 4), combine_all(task_sums, 5));
}

Test(workload, combine_changes_when_a_task_is_doubled)
{
    const uint64_t doubled[] = {task_sums[0], task_sums[1], task_sums[2],
                                task_sums[3], task_sums[4], task_sums[3]};
    cr_assert_neq(combine_all(doubled, 6), combine_all(task_sums, 5));
}

/* ---- workload_run_task and names --------------------------------------- */

Test(workload, cpu_task_is_deterministic)
{
    struct workload w = {.kind = &workload_cpu, .seconds = 0.0, .units = 1000};
    cr_assert_eq(workload_run_task(&w, 3), workload_run_task(&w, 3));
    cr_assert_eq(workload_run_task(&w, 0), workload_run_task(&w, 0));
}

Test(workload, different_cpu_tasks_give_different_checksums)
{
    struct workload w = {.kind = &workload_cpu, .seconds = 0.0, .units = 1000};
    uint64_t sums[4];
    for (size_t i = 0; i < 4; i++)
        sums[i] = workload_run_task(&w, i);
    for (size_t i = 0; i < 4; i++)
        for (size_t j = i + 1; j < 4; j++)
            cr_assert_neq(sums[i], sums[j], "tasks %zu and %zu gave the same checksum", i, j);
}

Test(workload, cpu_checksum_depends_on_units)
{
    struct workload short_task = {.kind = &workload_cpu, .seconds = 0.0, .units = 1000};
    struct workload long_task = {.kind = &workload_cpu, .seconds = 0.0, .units = 1001};
    cr_assert_neq(workload_run_task(&short_task, 1), workload_run_task(&long_task, 1));
}

Test(workload, kind_names)
{
    cr_assert_str_eq(workload_sleep.name, "sleep");
    cr_assert_str_eq(workload_cpu.name, "cpu");
}

/* Shown ratios are cut, never rounded up: 9.996x must not read 10.00x. */
Test(stats, round_down_never_rounds_up)
{
    cr_assert_float_eq(stats_round_down(9.996, 2), 9.99, 1e-12);
    cr_assert_float_eq(stats_round_down(99.96, 0), 99.0, 1e-12);
    cr_assert_float_eq(stats_round_down(1.15, 2), 1.15, 1e-12); /* not 1.14 from 1.1499999... */
    cr_assert_float_eq(stats_round_down(2.0, 2), 2.0, 1e-12);
}

Test(stats, amdahl_against_hand_computed_values)
{
    cr_assert_float_eq(stats_amdahl(0.0, 4), 4.0, 1e-12);        /* all parallel: 4 workers, 4x */
    cr_assert_float_eq(stats_amdahl(1.0, 4), 1.0, 1e-12);        /* all serial: 1x */
    cr_assert_float_eq(stats_amdahl(0.1, 2), 1.0 / 0.55, 1e-12); /* 1 / (0.1 + 0.45) = 1.8181... */
    cr_assert_float_eq(stats_amdahl(0.25, 8), 1.0 / 0.34375, 1e-12);
}

Test(stats, karp_flatt_against_hand_computed_values)
{
    cr_assert_float_eq(stats_karp_flatt(2.0, 2), 0.0, 1e-12);                  /* perfect: no serial share */
    cr_assert_float_eq(stats_karp_flatt(1.0, 2), 1.0, 1e-12);                  /* no speedup: all serial */
    cr_assert_float_eq(stats_karp_flatt(1.6, 2), 0.25, 1e-12);                 /* (0.625 - 0.5) / 0.5 */
    cr_assert_float_eq(stats_karp_flatt(stats_amdahl(0.1, 4), 4), 0.1, 1e-12); /* recovers Amdahl's f */
    cr_assert(isnan(stats_karp_flatt(1.0, 1)), "one worker: nothing to judge");
}

Test(stats, ideal_speedup_is_the_cpus_or_what_the_chunks_allow)
{
    cr_expect_float_eq(stats_ideal_speedup(1, 2, 48), 1.0, 1e-12);
    cr_expect_float_eq(stats_ideal_speedup(2, 2, 48), 2.0, 1e-12);
    cr_expect_float_eq(stats_ideal_speedup(4, 2, 48), 2.0, 1e-12, "more workers than CPUs take turns");
    cr_expect_float_eq(stats_ideal_speedup(33, 64, 48), 24.0, 1e-12, "48 chunks on 33 workers: 2 rounds");
    cr_expect_float_eq(stats_ideal_speedup(64, 64, 48), 48.0, 1e-12, "no more than the chunks");
    cr_expect_float_eq(stats_ideal_speedup(5, 8, 48), 48.0 / 10.0, 1e-12, "10 rounds: 4.8x, not 5x");
}

static void expect_counts(size_t cpus, const size_t *expected, size_t n)
{
    size_t counts[15];
    size_t got = stats_worker_counts(cpus, counts, 15);
    cr_expect_eq(got, n, "%zu CPUs: %zu counts, not %zu", cpus, got, n);
    for (size_t i = 0; i < n && i < got; i++)
        cr_expect_eq(counts[i], expected[i], "%zu CPUs, count %zu: %zu, not %zu", cpus, i, counts[i],
                     expected[i]);
}

Test(stats, worker_counts_step_twice_per_doubling_to_twice_the_cpus)
{
    expect_counts(1, (size_t[]){1, 2}, 2);
    expect_counts(2, (size_t[]){1, 2, 3, 4}, 4);
    expect_counts(5, (size_t[]){1, 2, 3, 4, 5, 6, 8, 12}, 8);
    expect_counts(16, (size_t[]){1, 2, 3, 4, 6, 8, 12, 16, 24, 32}, 10);
    expect_counts(64, (size_t[]){1, 2, 3, 4, 6, 8, 12, 16, 24, 32, 48, 64, 96, 128}, 14);
    expect_counts(1024, (size_t[]){1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048}, 12);
}

/* On any machine the sweep rises, includes the CPU count, and ends past it. */
Test(stats, worker_counts_always_measure_the_cpus_and_past_them)
{
    for (size_t cpus = 1; cpus <= 1024; cpus++) {
        size_t counts[15];
        size_t n = stats_worker_counts(cpus, counts, 15);
        cr_assert_geq(n, 2);
        cr_assert_eq(counts[0], 1);
        bool has_cpus = false;
        for (size_t i = 0; i < n; i++) {
            has_cpus |= counts[i] == cpus;
            if (i > 0)
                cr_assert_gt(counts[i], counts[i - 1], "%zu CPUs: not rising at %zu", cpus, i);
        }
        cr_assert(has_cpus, "%zu CPUs: the CPU count is not measured", cpus);
        cr_assert_gt(counts[n - 1], cpus, "%zu CPUs: never past them", cpus);
    }
}
