/* scaling_report: scaling's table, plot and verdict rendered from crafted
 * points for a 2-, 16- and 64-CPU machine, in English and in Korean: the
 * sweep stays at most 15 worker counts and always goes past the CPUs, the
 * ideal column is right for the job's chunks, and every line fits 80
 * terminal columns. No clock is read. */
#include "i18n.h"
#include "report.h"
#include "scaling_report.h"
#include "stats.h"
#include "verdict.h"

#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The pool as the table names it; the report only reads the name. */
static const struct strategy pool = {.name = "pool"};

/* A run of `chunks` chunks on `cpus` CPUs by each worker count of the
 * sweep, each as fast as its ideal allows (one worker: 10 s). */
static size_t crafted_points(size_t cpus, struct scaling_point *points)
{
    size_t counts[SCALING_MAX_POINTS], chunks = scaling_default_chunks(cpus);
    size_t n = stats_worker_counts(cpus, counts, SCALING_MAX_POINTS);
    for (size_t i = 0; i < n; i++) {
        struct scaling_point *p = &points[i];
        memset(p, 0, sizeof *p);
        p->workers = counts[i];
        p->c.workload.kind = &workload_cpu; /* the job computes */
        p->c.ntasks = chunks;
        p->c.cpus.count = cpus;
        p->c.cores = MACHINE_UNKNOWN;
        p->c.quota = QUOTA_NONE;
        p->c.count = 1;
        double wall = 10.0 / stats_ideal_speedup(counts[i], cpus, chunks);
        p->c.results[0] = (struct measurement){.strategy = &pool,
                                               .runs = 3,
                                               .wall = wall,
                                               .wall_min = wall,
                                               .wall_max = wall * 1.01,
                                               .checksum = 1,
                                               .checksum_ok = true};
    }
    for (size_t i = 0; i < n; i++)
        scaling_compute_point(&points[i], points[0].c.results[0].wall, cpus, 0.0);
    return n;
}

/* The table, the verdict, the legend and the plot, as scaling prints them. */
static char *rendered(const struct scaling_point *points, size_t n, size_t cpus)
{
    char *out = NULL, verdict[1][VERDICT_SIZE];
    static const struct options plain = {.color = false};
    size_t size = 0;
    fflush(stdout);
    FILE *saved = stdout, *f = open_memstream(&out, &size);
    cr_assert_not_null(f);
    stdout = f;
    scaling_print_table(points, n);
    scaling_verdict(points, n, cpus, 0.0, verdict[0], sizeof verdict[0]);
    report_verdicts(verdict, 1, &plain);
    scaling_print_legend(0.0);
    scaling_print_plot(points, n);
    stdout = saved;
    cr_assert_eq(fclose(f), 0);
    return out;
}

static void expect_lines_fit(const char *text, size_t cpus, const char *language)
{
    for (const char *line = text; *line != '\0';) {
        size_t len = strcspn(line, "\n");
        cr_expect_leq(i18n_columns(line, len), 80, "%zu CPUs, %s: a line of %zu columns:\n%.*s", cpus,
                      language, i18n_columns(line, len), (int)len, line);
        line += len + (line[len] == '\n');
    }
}

static void check_machine(size_t cpus)
{
    struct scaling_point points[SCALING_MAX_POINTS];
    size_t n = crafted_points(cpus, points), chunks = scaling_default_chunks(cpus);
    cr_assert(n > 0 && n <= SCALING_MAX_POINTS, "%zu CPUs: %zu worker counts", cpus, n);
    cr_expect_gt(points[n - 1].workers, cpus, "%zu CPUs: the sweep stops at %zu workers", cpus,
                 points[n - 1].workers);
    bool knee = false;
    for (size_t i = 0; i < n; i++) {
        const struct scaling_point *p = &points[i];
        knee = knee || p->workers == cpus;
        /* no more than the workers, the CPUs, or what the chunks share out */
        double most = fmin((double)p->workers, (double)cpus);
        cr_expect_leq(p->ideal, most, "%zu CPUs, %zu workers: ideal %g", cpus, p->workers, p->ideal);
        double rounds = ceil((double)chunks / most); /* chunks the busiest worker takes, in turn */
        cr_expect_float_eq(p->ideal, (double)chunks / rounds, 1e-9, "%zu CPUs, %zu workers: ideal %g, not %g",
                           cpus, p->workers, p->ideal, (double)chunks / rounds);
    }
    cr_expect(knee, "%zu CPUs: no point with exactly as many workers as CPUs", cpus);
    const char *const languages[] = {"en", "ko"};
    for (size_t l = 0; l < 2; l++) {
        i18n_use_language(languages[l]);
        cr_assert_str_eq(i18n_language(), languages[l], "the Korean translation is not built");
        char *out = rendered(points, n, cpus);
        expect_lines_fit(out, cpus, languages[l]);
        free(out);
    }
}

Test(scaling_report, a_2_cpu_vm)
{
    check_machine(2);
}

Test(scaling_report, a_16_cpu_laptop)
{
    check_machine(16);
}

Test(scaling_report, a_64_cpu_server)
{
    check_machine(64);
}

/* 48 chunks on 32 workers: 16 of them take two chunks while the rest have
 * finished, so the job takes two rounds: 24x, not 32x. */
Test(scaling_report, the_ideal_counts_the_chunks)
{
    struct scaling_point p = {.workers = 32, .c = {.ntasks = 48}};
    p.c.results[0].wall = 1.0;
    scaling_compute_point(&p, 10.0, 64, 0.0);
    cr_expect_float_eq(p.ideal, 24.0, 1e-9, "ideal %g", p.ideal);
}
