#include "demo.h"
#include "output.h"
#include "progress.h"

#include "report.h"
#include "verdict.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
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
    progress_show("measuring %s: run %d of %d", s->name, run, total);
}

int demo_measure(const struct demo_info *demo, const struct options *opts, size_t ntasks,
                 const struct workload *w, struct comparison *out)
{
    bool computing = w->kind == WORKLOAD_CPU;
    struct harness_plan plan = {
        .strategies = opts->strategies,
        .count = opts->strategy_count,
        .ntasks = ntasks,
        .warmup = computing ? opts->compute_warmup : opts->warmup,
        .runs = computing ? opts->compute_runs : opts->runs,
        .on_run = show_progress,
    };
    fflush(stdout); /* children must not inherit half-written output */
    const char *failed_call = "?";
    int err = harness_compare(&plan, w, out, &failed_call);
    progress_clear();
    return err == 0 ? 0 : demo_fail(demo, failed_call, err);
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
        fprintf(stderr, "%s: --trace: cannot write %s: %s\n", demo->name, opts->trace, strerror(-err));
    return err == 0 ? 0 : 1;
}

int demo_measure_both(const struct demo_info *demo, const struct options *opts, double cpu_seconds,
                      struct comparison c[2])
{
    struct workload sleeping = {.kind = WORKLOAD_SLEEP, .seconds = opts->seconds};
    struct workload computing = {.kind = WORKLOAD_CPU,
                                 .seconds = opts->seconds_given ? opts->seconds : cpu_seconds};
    workload_calibrate(&computing); /* once: every strategy does the same units */
    size_t cpu_tasks = opts->tasks_given ? opts->tasks : opts->cpus.count;
    int status = demo_measure(demo, opts, opts->tasks, &sleeping, &c[0]);
    if (status == 0 && (status = demo_measure(demo, opts, cpu_tasks, &computing, &c[1])) != 0)
        harness_free(&c[0]);
    return status;
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
        report_legend();
        for (size_t i = first_timeline; i < count; i++)
            report_timeline(&c[i], opts);
        report_verdicts(verdicts, verdict_count, opts);
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
    if (w->kind == WORKLOAD_CPU)
        workload_calibrate(w); /* once, so every strategy does the same units */
    if ((status = demo_measure(demo, opts, opts->tasks, w, &c)) != 0)
        return status;
    verdict_single(&c, verdict[0], sizeof verdict[0]);
    return demo_report(demo, opts, &m, &c, 1, verdict, 1, 0, NULL);
}
