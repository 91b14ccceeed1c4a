/* widths: every line a harness demo prints from what its runs measured (the
 * table, its warnings, the set-aside line, the timeline's legend and every
 * verdict) fits 80 columns at the widest numbers a run can give. A loaded
 * machine makes runs slower and noisier, so a line that fits only with
 * today's figures would fail on the day the class shares the machine.
 *
 * "Widest" here: walls up to 999.999 s (the table's column), speedups up to
 * 9999.99x, CPU_LIST_MAX CPUs, OPTIONS_MAX_TASKS tasks, OPTIONS_MAX_RUNS x 3
 * runs, the longest strategy name, and every cause verdict_cause can name,
 * each with its own widest figures. No clock is read. */
#include "options.h"
#include "report.h"
#include "verdict.h"

#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#define COLUMNS    80
#define WIDE_CPUS  CPU_LIST_MAX
#define WIDE_TASKS OPTIONS_MAX_TASKS
#define WIDE_RUNS  (3 * OPTIONS_MAX_RUNS) /* the harness adds runs up to 3x those asked */
#define WIDE_WALL  999.999

/* ---- checking text ------------------------------------------------------ */

/* Columns, not bytes: a UTF-8 character's later bytes are 10xxxxxx. */
static size_t columns(const char *line, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++)
        n += ((unsigned char)line[i] & 0xC0) != 0x80;
    return n;
}

static void assert_fits(const char *text, const char *what)
{
    for (const char *line = text; *line != '\0';) {
        size_t len = strcspn(line, "\n");
        cr_expect_leq(columns(line, len), COLUMNS, "%s: a line of %zu columns:\n%.*s", what,
                      columns(line, len), (int)len, line);
        line += len + (line[len] == '\n');
    }
}

/* What print(arg) writes to stdout, as one string (free it). */
static char *printed(void (*print)(const void *arg), const void *arg)
{
    char *out = NULL;
    size_t size = 0;
    fflush(stdout);
    FILE *saved = stdout, *f = open_memstream(&out, &size);
    cr_assert_not_null(f);
    stdout = f;
    print(arg);
    stdout = saved;
    cr_assert_eq(fclose(f), 0);
    return out;
}

static const struct options plain = {.color = false};

static void print_table(const void *c)
{
    report_table(c, &plain);
}

/* As under the tour: each warning in one line (lib/options.h). */
static const struct options under_tour = {.details = DETAILS_ASK};

static void print_brief_table(const void *c)
{
    report_table(c, &under_tour);
}

static void print_verdict(const void *verdict)
{
    char verdicts[1][VERDICT_SIZE];
    snprintf(verdicts[0], VERDICT_SIZE, "%s", (const char *)verdict);
    report_verdicts(verdicts, 1, &plain);
}

/* The title (with its own runs, as when they differ from the first
 * table's), the timeline and the legend. */
static void print_title_timeline_legend(const void *arg)
{
    const struct comparison *c = arg;
    struct comparison first = *c;
    first.runs = 1;
    report_workload_title(c, &first, &plain);
    report_timeline(c, &plain);
    report_legend();
}

/* ---- the widest comparison ------------------------------------------------ */

/* Every strategy a harness demo can show beside sequential, the longest
 * name (threads+gil) among them. */
static const struct strategy *const wide_strategies[] = {&strategy_sequential, &strategy_threads_gil,
                                                         &strategy_threads, &strategy_processes,
                                                         &strategy_event_loop};
#define WIDE_COUNT (sizeof wide_strategies / sizeof wide_strategies[0])

/* `kind` at the widest: the most tasks on the most CPUs, sequential at
 * WIDE_WALL and the rest 9999.99x faster, runs that ranged over 100x their
 * median, set aside for every reason, and spans for the timeline. */
static struct comparison wide(const struct workload_kind *kind, struct span *spans)
{
    struct comparison c;
    memset(&c, 0, sizeof c);
    c.workload = (struct workload){.kind = kind, .seconds = 1.23457e-05, .units = 1};
    c.ntasks = WIDE_TASKS;
    c.cpus.count = WIDE_CPUS;
    for (size_t i = 0; i < WIDE_CPUS; i++)
        c.cpus.ids[i] = (int)i;
    c.cores = MACHINE_UNKNOWN;
    c.runs = OPTIONS_MAX_RUNS;
    c.warmup = OPTIONS_MAX_WARMUP;
    c.quota = QUOTA_NONE;
    for (size_t i = 0; i < WIDE_COUNT; i++) {
        bool alone = i == 0;
        double wall = alone ? WIDE_WALL : 0.1;
        c.results[c.count++] =
            (struct measurement){.strategy = wide_strategies[i],
                                 .runs = WIDE_RUNS,
                                 .set_aside = WIDE_RUNS - 1,
                                 .set_aside_why = DISTURB_WAITED | DISTURB_LATE | DISTURB_SLOWED,
                                 .wall = wall,
                                 .wall_min = alone ? 100.0 : 0.1,
                                 .wall_max = alone ? WIDE_WALL : 99.999,
                                 .user = alone ? WIDE_WALL : 102.4,
                                 .checksum = 1,
                                 .checksum_ok = true,
                                 .spans = spans,
                                 .wall_total = wall * WIDE_RUNS};
    }
    return c;
}

static struct span *wide_spans(void)
{
    struct span *spans = calloc(WIDE_TASKS, sizeof *spans);
    cr_assert_not_null(spans);
    for (size_t t = 0; t < WIDE_TASKS; t++)
        spans[t] = (struct span){.start = 0.0, .end = WIDE_WALL, .cpu = 1.0};
    return spans;
}

/* The table with its warnings, as report_table prints it. */
static void assert_table_fits(const struct comparison *c, const char *what)
{
    char *out = printed(print_table, c);
    assert_fits(out, what);
    free(out);
}

Test(widths, the_table_with_every_warning_fits)
{
    struct span *spans = wide_spans();
    struct comparison c = wide(&workload_cpu, spans);
    char *out = printed(print_table, &c);
    cr_assert_not_null(strstr(out, "set aside as not fair"), "%s", out);
    cr_assert_not_null(strstr(out, "threads+gil runs ranged"), "%s", out);
    assert_fits(out, "the table");
    free(out);
    free(spans);
}

Test(widths, the_busy_machine_warning_fits)
{
    struct span *spans = wide_spans();
    struct comparison c = wide(&workload_cpu, spans);
    c.results[0].user = 0.89 * c.results[0].wall; /* sequential on 89 % of a CPU */
    char *out = printed(print_table, &c);
    cr_assert_not_null(strstr(out, "sequential computed on only 89% of a CPU"), "%s", out);
    assert_fits(out, "the busy warning");
    free(out);
    free(spans);
}

/* Under the tour every warning is one line, and the checksum line goes:
 * a row per strategy, its set-aside line and one line per warning. */
Test(widths, under_the_tour_each_warning_is_one_line_that_fits)
{
    struct span *spans = wide_spans();
    struct comparison c = wide(&workload_cpu, spans);
    c.results[0].user = 0.89 * c.results[0].wall;
    char *out = printed(print_brief_table, &c), *full = printed(print_table, &c);
    size_t warnings = 0, full_warnings = 0;
    for (const char *w = strstr(out, "warning:"); w != NULL; w = strstr(w + 1, "warning:"))
        warnings++;
    for (const char *w = strstr(full, "warning:"); w != NULL; w = strstr(w + 1, "warning:"))
        full_warnings++;
    cr_assert_gt(warnings, 1, "%s", out);
    cr_expect_eq(warnings, full_warnings, "the same warnings:\n%s\n%s", out, full);
    cr_expect_null(strstr(out, "checksum"), "%s", out);
    cr_expect_null(strstr(out, "\n         "), "a warning's second line:\n%s", out);
    assert_fits(out, "the brief table");
    free(out);
    free(full);
    free(spans);
}

/* ---- every cause, at its widest -------------------------------------------- */

/* A comparison in which `cause`, and no cause before it, applies. */
static struct comparison with_cause(enum verdict_cause cause, const struct workload_kind *kind,
                                    struct span *alone, struct span *slowed)
{
    struct comparison c = wide(kind, NULL);
    c.workload.seconds = OPTIONS_MAX_SECONDS; /* too long to be short, unless that is the cause */
    for (size_t i = 0; i < c.count; i++)
        c.results[i].load = (struct load){.throttled_periods = -1, .throttled = -1.0, .cpus_known = true};
    struct measurement *gil = &c.results[1];
    switch (cause) {
    case CAUSE_NONE:
        break;
    case CAUSE_QUOTA:
        c.quota = 1023.75;
        gil->load.throttled_periods = 9999999;
        break;
    case CAUSE_OTHERS: /* all the CPUs' worth, during the longest name */
        gil->load.others_cpu = (double)WIDE_CPUS * gil->wall_total;
        break;
    case CAUSE_STEAL:
        gil->load.steal = (double)WIDE_CPUS * gil->wall_total;
        break;
    case CAUSE_TOO_SHORT:
        c.workload.seconds = 1.23457e-05;
        break;
    case CAUSE_EFFICIENCY:
        c.efficiency = WIDE_CPUS - 1;
        break;
    case CAUSE_HYPERTHREADS:
        c.cores = WIDE_CPUS / 2;
        break;
    case CAUSE_SLOWER_CLOCK: /* 999 % more CPU time per task */
        c.results[0].spans = alone;
        for (size_t i = 1; i < c.count; i++)
            c.results[i].spans = slowed;
        break;
    case CAUSE_WAITED:
        gil->disturbed = DISTURB_WAITED | DISTURB_LATE;
        break;
    }
    return c;
}

static const enum verdict_cause every_cause[] = {
    CAUSE_NONE,       CAUSE_QUOTA,        CAUSE_OTHERS,       CAUSE_STEAL,  CAUSE_TOO_SHORT,
    CAUSE_EFFICIENCY, CAUSE_HYPERTHREADS, CAUSE_SLOWER_CLOCK, CAUSE_WAITED,
};
#define CAUSES (sizeof every_cause / sizeof every_cause[0])

struct wide_spans_pair {
    struct span *alone, *slowed;
};

static struct wide_spans_pair cause_spans(void)
{
    struct wide_spans_pair p = {calloc(WIDE_TASKS, sizeof *p.alone), calloc(WIDE_TASKS, sizeof *p.slowed)};
    cr_assert(p.alone != NULL && p.slowed != NULL);
    for (size_t t = 0; t < WIDE_TASKS; t++) {
        p.alone[t] = (struct span){.end = 1.0, .cpu = 1.0};
        p.slowed[t] = (struct span){.end = 9.99, .cpu = 10.99};
    }
    return p;
}

Test(widths, each_cause_is_the_one_named_and_its_warning_fits)
{
    struct wide_spans_pair spans = cause_spans();
    for (size_t i = 0; i < CAUSES; i++) {
        struct comparison c = with_cause(every_cause[i], &workload_cpu, spans.alone, spans.slowed);
        char why[VERDICT_SIZE];
        cr_assert_eq(verdict_cause(&c, why, sizeof why), every_cause[i], "cause %zu: %s", i, why);
        assert_table_fits(&c, why);
    }
    free(spans.alone);
    free(spans.slowed);
}

/* ---- every verdict, as report_verdicts prints it ----------------------------- */

/* Sets the speedup of every strategy but sequential to `speedup`. */
static void set_speedup(struct comparison *c, double speedup)
{
    for (size_t i = 1; i < c->count; i++)
        c->results[i].wall = c->results[i].wall_min = c->results[i].wall_max = c->results[0].wall / speedup;
}

/* Prints the verdict as a demo would, and checks every line of it. */
static void assert_verdict_fits(const char *verdict)
{
    cr_assert_lt(strlen(verdict), VERDICT_SIZE - 1, "cut at VERDICT_SIZE: %s", verdict);
    char *out = printed(print_verdict, verdict);
    assert_fits(out, verdict);
    free(out);
}

/* Speedups that reach each branch: over the ideal (not the lesson), the
 * lesson, short of it, and none. */
static const double speedups[] = {9999.99, 1023.99, 999.99, 1.01};

Test(widths, every_verdict_with_every_cause_fits)
{
    struct wide_spans_pair spans = cause_spans();
    for (size_t i = 0; i < CAUSES; i++)
        for (size_t k = 0; k < 2; k++)
            for (size_t s = 0; s < sizeof speedups / sizeof speedups[0]; s++) {
                const struct workload_kind *kind = k == 0 ? &workload_cpu : &workload_sleep;
                struct comparison all = with_cause(every_cause[i], kind, spans.alone, spans.slowed);
                set_speedup(&all, speedups[s]);
                struct comparison one = all;
                one.cpus.count = 1;
                char buf[VERDICT_SIZE], sleep_buf[VERDICT_SIZE], cpu_buf[VERDICT_SIZE];
                verdict_single(&all, buf, sizeof buf);
                assert_verdict_fits(buf);
                verdict_single(&one, buf, sizeof buf);
                assert_verdict_fits(buf);
                verdict_versus(&all, &one, buf, sizeof buf);
                assert_verdict_fits(buf);
                verdict_gil(&all, &all, sleep_buf, cpu_buf, VERDICT_SIZE);
                assert_verdict_fits(sleep_buf);
                assert_verdict_fits(cpu_buf);
            }
    free(spans.alone);
    free(spans.slowed);
}

/* The demos' own verdicts (event_loop, scaling) come through
 * report_verdicts too: any sentence that fills VERDICT_SIZE is wrapped. */
Test(widths, report_verdicts_wraps_the_longest_verdict)
{
    char verdict[VERDICT_SIZE];
    int len =
        snprintf(verdict, sizeof verdict, "scaling: best 9999.99x (1024 workers), 9999.99x with 2048 ->");
    while (len + 12 < (int)sizeof verdict)
        len += snprintf(verdict + len, sizeof verdict - (size_t)len, " 9999.99x of");
    assert_verdict_fits(verdict);
}

/* ---- the rest of what a run's figures reach -------------------------------- */

Test(widths, the_timeline_legend_and_title_fit)
{
    struct span *spans = wide_spans();
    for (size_t k = 0; k < 2; k++) {
        struct comparison c = wide(k == 0 ? &workload_cpu : &workload_sleep, spans);
        char *out = printed(print_title_timeline_legend, &c);
        cr_assert_not_null(strstr(out, "more tasks not shown"), "%s", out);
        assert_fits(out, "the timeline");
        free(out);
    }
    free(spans);
}

/* --cpus 0,2,4,...: a list with no runs to shorten is cut with "...". */
Test(widths, a_scattered_cpu_list_in_the_titles_fits)
{
    struct span *spans = wide_spans();
    for (size_t k = 0; k < 2; k++) {
        struct comparison c = wide(k == 0 ? &workload_cpu : &workload_sleep, spans);
        c.cpus.count = WIDE_CPUS / 2;
        for (size_t i = 0; i < c.cpus.count; i++)
            c.cpus.ids[i] = 2 * (int)i;
        char *out = printed(print_title_timeline_legend, &c);
        cr_assert_not_null(strstr(out, "(0,2,4,"), "%s", out);
        cr_assert_not_null(strstr(out, ",...)"), "%s", out);
        assert_fits(out, "the titles");
        free(out);
    }
    free(spans);
}

/* A row whose checksum differs says MISMATCH in its check column. */
Test(widths, a_mismatch_row_fits)
{
    struct span *spans = wide_spans();
    struct comparison c = wide(&workload_cpu, spans);
    for (size_t i = 0; i < c.count; i++) {
        c.results[i].checksum_ok = false;
        c.results[i].checksum = i;
        c.results[i].wall = WIDE_WALL;
    }
    char *out = printed(print_table, &c);
    cr_assert_not_null(strstr(out, "MISMATCH"), "%s", out);
    assert_fits(out, "a mismatch");
    free(out);
    free(spans);
}
