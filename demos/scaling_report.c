#include "scaling_report.h"

#include "i18n.h"
#include "report.h"
#include "stats.h"
#include "verdict.h"

#include <math.h>
#include <stdio.h>

#define PLOT_ROWS        10
#define KARP_FLATT_SLACK 0.05 /* estimates this far outside 0..1 are still noise-sized */

size_t scaling_default_chunks(size_t cpus)
{
    return cpus > SCALING_CHUNKS / 4 ? 4 * cpus : SCALING_CHUNKS;
}

void scaling_compute_point(struct scaling_point *p, double one_worker_wall, size_t cpus,
                           double serial_fraction)
{
    p->speedup = stats_speedup(one_worker_wall, p->c.results[0].wall);
    /* More workers than CPUs add no CPUs, and chunks that do not share out
     * evenly leave some workers idle at the end: as if on fewer CPUs. */
    p->ideal = stats_ideal_speedup(p->workers, cpus, p->c.ntasks);
    p->amdahl = stats_amdahl(serial_fraction, p->ideal);
    p->karp_flatt = stats_karp_flatt(p->speedup, p->ideal); /* its p is processors, not workers */
}

void scaling_print_table(const struct scaling_point *points, size_t n)
{
    printf("\n%7s %8s  %-13s %8s %6s %5s %8s %11s\n", "workers", "wall s", "min-max s", "speedup", "ideal",
           "eff", "amdahl", "karp-flatt");
    for (size_t i = 0; i < n; i++) {
        const struct scaling_point *p = &points[i];
        const struct measurement *m = &p->c.results[0];
        char range[32], karp[16];
        snprintf(range, sizeof range, "%.3f-%.3f", m->wall_min, m->wall_max);
        if (isnan(p->karp_flatt))
            snprintf(karp, sizeof karp, "-");
        else
            snprintf(karp, sizeof karp, "%.3f", p->karp_flatt);
        printf("%7zu %8.3f  %-13s %7.2fx %5.*fx %4.0f%% %7.2fx %11s\n", p->workers, m->wall, range,
               stats_round_down(p->speedup, 2), p->ideal == floor(p->ideal) ? 0 : 1,
               stats_round_down(p->ideal, 1),
               stats_round_down(100.0 * stats_efficiency(p->speedup, p->ideal), 0), p->amdahl, karp);
    }
    int set_aside = 0, runs = 0;
    for (size_t i = 0; i < n; i++) {
        set_aside += points[i].c.results[0].set_aside;
        runs += points[i].c.results[0].runs;
    }
    if (set_aside > 0) /* the harness judged each run: see lib/README.md */
        printf(_("set aside as not fair: %d of %d runs (a chunk waited for a CPU, or the CPU\n"
                 "  was slower); the medians are of the rest\n"),
               set_aside, runs);
}

void scaling_print_legend(double serial_fraction)
{
    printf(_("ideal = min(workers, CPUs), less where the chunks leave workers idle at the end;\n"
             "amdahl = 1 / (f + (1 - f) / ideal) with f = %g; karp-flatt = the serial share\n"
             "this speedup implies on `ideal` CPUs (near f, plus whatever more workers cost).\n"),
           serial_fraction);
}

/* Which mark goes in a plot cell: measured over Amdahl over ideal. */
static char plot_mark(const struct scaling_point *p, double low, double high)
{
    if (p->speedup >= low && p->speedup < high)
        return '*';
    if (p->amdahl >= low && p->amdahl < high)
        return 'a';
    if (p->ideal >= low && p->ideal < high)
        return 'o';
    return ' ';
}

void scaling_print_plot(const struct scaling_point *points, size_t n)
{
    double top = 0.0;
    for (size_t i = 0; i < n; i++)
        top = fmax(top, fmax(points[i].speedup, points[i].ideal));
    double step = top / PLOT_ROWS;
    printf("\n");
    printf("%s", _("speedup against workers: * measured, a Amdahl, o ideal (* hides a, a hides o)\n"));
    for (int row = PLOT_ROWS; row >= 1; row--) {
        double low = step * (row - 0.5), high = step * (row + 0.5);
        printf("%5.2fx |", step * row);
        for (size_t i = 0; i < n; i++)
            printf("  %c ", plot_mark(&points[i], low, high));
        printf("\n");
    }
    printf("       +");
    for (size_t i = 0; i < n; i++)
        printf("----");
    printf("\n        ");
    for (size_t i = 0; i < n; i++)
        printf("%3zu ", points[i].workers);
    printf("  workers\n");
}

void scaling_print_json(const struct machine *m, const struct scaling_point *points, size_t n,
                        double serial_fraction, const char *verdict)
{
    printf("{\"demo\": \"scaling\", \"version\": \"%s\", \"machine\": ", ATONCE_VERSION);
    report_json_machine(stdout, m);
    printf(", \"cpus\": %zu, \"strategy\": \"%s\", \"serial_fraction\": %g, \"points\": [",
           points[0].c.cpus.count, points[0].c.results[0].strategy->name, serial_fraction);
    for (size_t i = 0; i < n; i++) {
        const struct scaling_point *p = &points[i];
        const struct measurement *r = &p->c.results[0];
        printf("%s{\"workers\": %zu, \"wall_s\": %.9g, \"wall_min_s\": %.9g, \"wall_max_s\": %.9g, "
               "\"speedup\": %.9g, \"ideal_speedup\": %g, \"efficiency\": %.9g, \"amdahl\": %.9g, "
               "\"karp_flatt\": ",
               i > 0 ? ", " : "", p->workers, r->wall, r->wall_min, r->wall_max, p->speedup, p->ideal,
               stats_efficiency(p->speedup, p->ideal), p->amdahl);
        if (isnan(p->karp_flatt))
            printf("null");
        else
            printf("%.9g", p->karp_flatt);
        printf(", \"runs\": %d, \"runs_set_aside\": %d, \"checksum_ok\": %s}", r->runs, r->set_aside,
               r->checksum == points[0].c.results[0].checksum ? "true" : "false");
    }
    printf("], \"verdicts\": [");
    report_json_string(stdout, verdict);
    printf("]}\n");
}

/* A cause the measurements show (a quota, other programs, steal), a point
 * short of (or 5 % above) Amdahl's speedup on the ideal CPUs, or a Karp-Flatt estimate
 * outside 0..1, which no real serial share gives: then the curve shows the
 * surroundings or noise, not Amdahl. */
static bool measured_elsewhere(const struct scaling_point *points, size_t n, char *why, size_t size)
{
    for (size_t i = 0; i < n; i++) {
        enum verdict_cause cause = verdict_cause(&points[i].c, why, size);
        if (cause == CAUSE_QUOTA || cause == CAUSE_OTHERS || cause == CAUSE_STEAL)
            return true;
    }
    for (size_t i = 0; i < n; i++) { /* each point should reach Amdahl on its ideal CPUs */
        const struct scaling_point *p = &points[i];
        if (p->ideal > 1.0 && p->speedup < VERDICT_LESSON_EFFICIENCY * p->amdahl) {
            char cause[VERDICT_SIZE];
            verdict_cause(&p->c, cause, sizeof cause);
            snprintf(why, size, _("%zu workers only %.2fx of Amdahl's %.2fx: %.*s"), p->workers,
                     stats_round_down(p->speedup, 2), p->amdahl, i18n_bytes_within(cause, 60), cause);
            return true;
        }
        if (p->speedup > (1.0 + VERDICT_PINNED_BAND) * p->amdahl) { /* more than the CPUs can give */
            snprintf(why, size, _("%zu workers %.2fx, above Amdahl's %.2fx: a noisy run, rerun"), p->workers,
                     stats_round_down(p->speedup, 2), p->amdahl);
            return true;
        }
    }
    for (size_t i = 0; i < n; i++) {
        double kf = points[i].karp_flatt;
        if (!isnan(kf) && (kf < -KARP_FLATT_SLACK || kf > 1.0 + KARP_FLATT_SLACK)) {
            snprintf(why, size, _("Karp-Flatt %.2f at %zu workers is outside 0-1: a noisy run, rerun"), kf,
                     points[i].workers);
            return true;
        }
    }
    return false;
}

/* The verdict: where the speedup stopped, and why. */
void scaling_verdict(const struct scaling_point *points, size_t n, size_t cpus, double serial_fraction,
                     char *buf, size_t size)
{
    size_t best = 0;
    for (size_t i = 1; i < n; i++)
        if (points[i].speedup > points[best].speedup)
            best = i;
    const struct scaling_point *last = &points[n - 1];
    char why[VERDICT_SIZE];
    if (measured_elsewhere(points, n, why, sizeof why))
        ; /* what else took the CPUs comes first: the curve is not the machine's */
    else if (cpus < 2)
        snprintf(why, sizeof why, "%s", _("1 CPU: no number of workers can speed it up"));
    else if (serial_fraction > 0.0)
        snprintf(why, sizeof why, _("the serial share caps it: Amdahl allows %.2fx on %d CPUs"),
                 stats_amdahl(serial_fraction, (double)cpus), (int)cpus);
    else
        snprintf(why, sizeof why, _("speedup stops at the %d CPUs: more workers only take turns"), (int)cpus);
    if (best == n - 1)
        snprintf(buf, size, _("scaling: best %.2fx, with the most workers (%zu) -> %s"),
                 stats_round_down(last->speedup, 2), last->workers, why);
    else
        snprintf(buf, size,
                 ngettext("scaling: best %.2fx (%zu worker), %.2fx with %zu -> %s",
                          "scaling: best %.2fx (%zu workers), %.2fx with %zu -> %s", points[best].workers),
                 stats_round_down(points[best].speedup, 2), points[best].workers,
                 stats_round_down(last->speedup, 2), last->workers, why);
}
