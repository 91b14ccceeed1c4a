#include "demo.h"
#include "i18n.h"
#include "output.h"
#include "progress.h"

#include "report.h"
#include "verdict.h"

#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <termios.h>
#include <unistd.h>

int demo_fail(const struct demo_info *demo, const char *call, int err)
{
    char why[512];
    strategy_failure_format(call, err, why, sizeof why);
    fprintf(stderr, "%s: %s\n", demo->name, why);
    return 1;
}

int demo_setup(const struct demo_info *demo, const struct options *opts, struct machine *m)
{
    int err;
    if (opts->cpus_given && (err = machine_pin(&opts->cpus)) != 0)
        return demo_fail(demo, "sched_setaffinity", err);
    if ((err = machine_read(m)) != 0)
        return demo_fail(demo, "uname or sched_getaffinity", err);
    return 0;
}

/* "measuring threads: run 2 of 4", rewritten in place on a terminal. */
static void show_progress(const struct strategy *s, int run, int total, void *context)
{
    (void)context;
    progress_show(_("measuring %s: run %d of %d"), s->name, run, total);
}

struct harness_plan demo_plan(const struct options *opts, size_t ntasks, const struct workload *w)
{
    bool computing = workload_computes(w);
    return (struct harness_plan){
        .strategies = opts->strategies,
        .count = opts->strategy_count,
        .ntasks = ntasks,
        .warmup = computing ? opts->compute_warmup : opts->warmup,
        .runs = computing ? opts->compute_runs : opts->runs,
        .strategy_context = opts->strategy_context,
    };
}

/* "40 s", "12 min", "2.2 h": as a person would say it. */
static void format_duration(double seconds, char *buf, size_t size)
{
    if (seconds < 10.0)
        snprintf(buf, size, "%.2g s", seconds);
    else if (seconds < 120.0)
        snprintf(buf, size, "%.0f s", seconds);
    else if (seconds < 2 * 3600.0)
        snprintf(buf, size, "%.0f min", seconds / 60.0);
    else
        snprintf(buf, size, "%.1f h", seconds / 3600.0);
}

void demo_estimate_add(struct demo_estimate *e, const char *label, const struct harness_plan *plan,
                       const struct workload *w, double capacity)
{
    int runs = plan->runs > 1 ? plan->runs : 1;
    e->seconds += harness_estimate(plan, w, capacity);
    for (size_t i = 0; i < plan->count; i++) {
        double one =
            harness_estimate_run(plan->strategies[i], &plan->strategy_context, w, plan->ntasks, capacity);
        double all = (double)(plan->warmup + runs) * one;
        if (all <= e->longest)
            continue;
        e->longest = all;
        char each[32], warmups[32] = "";
        format_duration(one, each, sizeof each);
        if (plan->warmup > 0)
            snprintf(warmups, sizeof warmups, " + %d warm-up%s", plan->warmup, plan->warmup == 1 ? "" : "s");
        snprintf(e->longest_what, sizeof e->longest_what, "%s, %s: %zu task%s x %g s, %d run%s%s of about %s",
                 label != NULL ? label : w->kind->name, plan->strategies[i]->name, plan->ntasks,
                 plan->ntasks == 1 ? "" : "s", w->seconds, runs, runs == 1 ? "" : "s", warmups, each);
    }
}

int demo_refuse_long_run(const struct demo_info *demo, const struct options *opts,
                         const struct demo_estimate *e, const char *shorten)
{
    if (opts->force || e->seconds <= OPTIONS_LONGEST_RUN)
        return 0;
    char total[32];
    format_duration(e->seconds, total, sizeof total);
    fprintf(stderr, "%s: this run would take about %s (%s); use %s, or --force\n", demo->name, total,
            e->longest_what, shorten != NULL ? shorten : "fewer --tasks or --seconds");
    return 2;
}

size_t demo_cpu_tasks(const struct demo_info *demo, const struct options *opts)
{
    return opts->tasks_given && !demo->tasks_sleep_only ? opts->tasks : opts->cpus.count;
}

size_t demo_sharing_tasks(const struct options *opts)
{
    if (opts->tasks_given)
        return opts->tasks;
    return opts->cpus.count > 2 ? opts->cpus.count : 2;
}

double demo_share_of_work(double seconds, size_t tasks, bool quick)
{
    if (tasks <= OPTIONS_SIZED_FOR_CPUS)
        return seconds;
    double shortest = quick ? OPTIONS_SHORTEST_QUICK_TASK : OPTIONS_SHORTEST_TASK;
    if (seconds <= shortest)
        return seconds;
    double share = seconds * OPTIONS_SIZED_FOR_CPUS / (double)tasks;
    return share > shortest ? share : shortest;
}

double demo_cpu_seconds(const struct demo_info *demo, const struct options *opts, double seconds)
{
    if (opts->seconds_given)
        return opts->seconds;
    if (opts->tasks_given && !demo->tasks_sleep_only)
        return seconds;
    return demo_share_of_work(seconds, opts->cpus.count, opts->quick);
}

/* Adds what demo_measure(opts, ntasks, w) would take on m's CPUs. */
static void estimate_measure(struct demo_estimate *e, const struct options *opts, const struct machine *m,
                             size_t ntasks, const struct workload *w)
{
    struct harness_plan plan = demo_plan(opts, ntasks, w);
    demo_estimate_add(e, NULL, &plan, w, machine_parallel_capacity(m, &m->allowed));
}

int demo_measure_plan(const struct demo_info *demo, struct harness_plan *plan, const struct workload *w,
                      struct comparison *out)
{
    plan->on_run = show_progress;
    output_flush(stdout); /* children must not inherit half-written output */
    const char *failed_call = "?";
    int err = harness_compare(plan, w, out, &failed_call);
    progress_clear();
    return err == 0 ? 0 : demo_fail(demo, failed_call, err);
}

int demo_measure(const struct demo_info *demo, const struct options *opts, size_t ntasks,
                 const struct workload *w, struct comparison *out)
{
    struct harness_plan plan = demo_plan(opts, ntasks, w);
    return demo_measure_plan(demo, &plan, w, out);
}

int demo_write_trace(const struct demo_info *demo, const struct options *opts,
                     const struct comparison *comparisons, size_t count)
{
    if (opts->trace == NULL)
        return 0;
    struct output_file to;
    int err = output_file_open(&to, opts->trace);
    if (err == 0 && (err = report_trace(to.f, comparisons, count)) != 0)
        output_file_discard(&to);
    else if (err == 0)
        err = output_file_commit(&to); /* complete: only now does it replace the old file */
    if (err != 0)
        options_say_cannot_write(demo, opts->trace, output_strerror(err));
    return err == 0 ? 0 : 1;
}

int demo_measure_both(const struct demo_info *demo, const struct options *opts, const struct machine *m,
                      double cpu_seconds, struct comparison c[2])
{
    struct workload sleeping = {.kind = &workload_sleep, .seconds = opts->seconds};
    struct workload computing = {.kind = &workload_cpu, .seconds = demo_cpu_seconds(demo, opts, cpu_seconds)};
    size_t cpu_tasks = demo_cpu_tasks(demo, opts);
    struct demo_estimate e = {0};
    estimate_measure(&e, opts, m, opts->tasks, &sleeping);
    estimate_measure(&e, opts, m, cpu_tasks, &computing);
    int status = demo_refuse_long_run(demo, opts, &e, NULL);
    if (status != 0)
        return status;
    workload_calibrate(&computing); /* once: every strategy does the same units */
    status = demo_measure(demo, opts, opts->tasks, &sleeping, &c[0]);
    if (status == 0 && (status = demo_measure(demo, opts, cpu_tasks, &computing, &c[1])) != 0)
        harness_free(&c[0]);
    return status;
}

bool demo_is_choice(const char *line, const char *word)
{
    line += strspn(line, " \t");
    size_t len = strcspn(line, " \t\n");
    bool letter = len == 1 && tolower((unsigned char)line[0]) == word[0];
    if (!letter && (len != strlen(word) || strncasecmp(line, word, len) != 0))
        return false;
    line += len + strspn(line + len, " \t");
    return line[0] == '\0' || line[0] == '\n';
}

bool demo_show_details(const struct options *opts)
{
    if (opts->details == DETAILS_ALL)
        return true;
    if (opts->details == DETAILS_OMIT) {
        printf("\n%s\n", _("The legend and the timelines: run this command alone."));
        return false;
    }
    tcflush(STDIN_FILENO, TCIFLUSH); /* before the prompt: a key pressed once it shows is an answer */
    printf("%s", _("Enter: show the timeline and the legend, s: skip them > ")); /* right under the verdict */
    output_flush(stdout);
    char line[64];
    ssize_t n = read(STDIN_FILENO, line, sizeof line - 1);
    if (n <= 0)
        return false;
    line[n] = '\0';
    return !demo_is_choice(line, "skip");
}

/* The tour's --predict shows what was measured beside the class's guess:
 * the part of each verdict before its " -> ", one per line, in the file
 * the tour named (ATONCE_MEASURED, opts->measured_file). */
static void tell_the_tour(const struct demo_info *demo, const char *path, char verdicts[][VERDICT_SIZE],
                          size_t count)
{
    if (path == NULL)
        return;
    FILE *f = fopen(path, "w");
    for (size_t i = 0; f != NULL && i < count; i++) {
        const char *arrow = strstr(verdicts[i], " -> ");
        fprintf(f, "%.*s\n", arrow != NULL ? (int)(arrow - verdicts[i]) : (int)strlen(verdicts[i]),
                verdicts[i]);
    }
    if (f == NULL || fclose(f) != 0)
        fprintf(stderr, "%s: ATONCE_MEASURED: cannot write %s: %s\n", demo->name, path, strerror(errno));
}

void demo_verdicts(const struct demo_info *demo, const struct options *opts, char verdicts[][VERDICT_SIZE],
                   size_t count)
{
    report_verdicts(verdicts, count, opts);
    tell_the_tour(demo, opts->measured_file, verdicts, count);
}

int demo_report(const struct demo_info *demo, const struct options *opts, const struct machine *m,
                struct comparison *c, size_t count, char verdicts[][VERDICT_SIZE], size_t verdict_count,
                size_t first_timeline, const char *extra_line)
{
    bool per_result_workload = count > 1; /* then each result says its workload and CPUs */
    if (opts->json) {
        report_json(stdout, demo, m, c, count, per_result_workload, verdicts, verdict_count,
                    opts->timeline_json);
    } else if (opts->csv) {
        report_csv(stdout, c, count, per_result_workload);
    } else {
        report_header(demo, opts, m, count > 0 ? &c[0] : NULL);
        if (extra_line != NULL)
            printf("%s\n", extra_line);
        for (size_t i = 0; i < count; i++) {
            report_workload_title(&c[i], &c[0], opts);
            report_table(&c[i], opts);
        }
        bool all = opts->details == DETAILS_ALL;
        if (!all) /* the verdict on the same screen as its tables */
            demo_verdicts(demo, opts, verdicts, verdict_count);
        if (demo_show_details(opts)) {
            report_legend();
            for (size_t i = first_timeline; i < count; i++)
                report_timeline(&c[i], opts);
        }
        if (all)
            demo_verdicts(demo, opts, verdicts, verdict_count);
        report_note(demo);
    }
    int status = demo_write_trace(demo, opts, c, count);
    for (size_t i = 0; i < count; i++) {
        if (!harness_checksums_ok(&c[i]))
            status = 1;
        harness_free(&c[i]);
    }
    return status;
}

int demo_run_single(const struct demo_info *demo, const struct options *opts, struct workload *w)
{
    struct machine m;
    struct comparison c;
    char verdict[1][VERDICT_SIZE];
    int status = demo_setup(demo, opts, &m);
    if (status != 0)
        return status;
    struct demo_estimate e = {0};
    estimate_measure(&e, opts, &m, opts->tasks, w);
    if ((status = demo_refuse_long_run(demo, opts, &e, NULL)) != 0)
        return status;
    workload_calibrate(w); /* once, so every strategy does the same work */
    if ((status = demo_measure(demo, opts, opts->tasks, w, &c)) != 0)
        return status;
    verdict_single(&c, verdict[0], sizeof verdict[0]);
    return demo_report(demo, opts, &m, &c, 1, verdict, 1, 0, NULL);
}
