#include "demo.h"

#include "report.h"
#include "verdict.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int demo_fail(const struct demo_info *demo, const char *call, int err)
{
    fprintf(stderr, "%s: %s: %s\n", demo->name, call, strerror(-err));
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
    fprintf(stderr, "\r\033[Kmeasuring %s: run %d of %d", s->name, run, total);
}

int demo_measure(const struct demo_info *demo, const struct options *opts, size_t ntasks,
                 const struct workload *w, struct comparison *out)
{
    bool progress = isatty(STDERR_FILENO);
    struct harness_plan plan = {
        .strategies = opts->strategies,
        .count = opts->strategy_count,
        .ntasks = ntasks,
        .warmup = opts->warmup,
        .runs = opts->runs,
        .on_run = progress ? show_progress : NULL,
    };
    fflush(stdout); /* children must not inherit half-written output */
    const char *failed_call = "?";
    int err = harness_compare(&plan, w, out, &failed_call);
    if (progress)
        fprintf(stderr, "\r\033[K"); /* erase the progress line */
    return err == 0 ? 0 : demo_fail(demo, failed_call, err);
}

int demo_write_trace(const struct demo_info *demo, const struct options *opts,
                     const struct comparison *comparisons, size_t count)
{
    if (opts->trace == NULL)
        return 0;
    FILE *to = fopen(opts->trace, "w");
    if (to == NULL) {
        fprintf(stderr, "%s: --trace: cannot write %s: %s\n", demo->name, opts->trace, strerror(errno));
        return 1;
    }
    int err = report_trace(to, comparisons, count);
    if (fclose(to) != 0 && err == 0)
        err = -errno;
    return err == 0 ? 0 : demo_fail(demo, "--trace", err);
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
    if (opts->json) {
        report_json(stdout, demo, &m, &c, 1, false, verdict, 1, opts->timeline_json);
    } else if (opts->csv) {
        report_csv(stdout, &c, 1, false);
    } else {
        report_header(demo, opts, &m);
        report_workload_title(&c, opts);
        report_table(&c, opts);
        report_legend();
        report_timeline(&c, opts);
        report_verdicts(verdict, 1, opts);
        report_note(demo);
    }
    status = harness_checksums_ok(&c) ? 0 : 1;
    if (demo_write_trace(demo, opts, &c, 1) != 0)
        status = 1;
    harness_free(&c);
    return status;
}
