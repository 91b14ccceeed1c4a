/*
 * demo: the steps every harness demo takes, so that a demo's main() reads
 * like its lesson. Errors go to stderr as "<demo>: <call>: <errno text>";
 * these functions return the exit status and leave exiting to main().
 */
#ifndef ATONCE_DEMO_H
#define ATONCE_DEMO_H

#include "harness.h"
#include "machine.h"
#include "options.h"
#include "verdict.h"

/* Prints "<demo>: <call>: <strerror(-err)>" on stderr (after
 * -STRATEGY_SAID_IN_FULL, "<demo>: <call>": the call says it all);
 * returns 1. */
int demo_fail(const struct demo_info *demo, const char *call, int err);

/* Pins the process to opts->cpus (when --cpus was given) and reads the
 * machine. Returns 0 or an exit status. */
int demo_setup(const struct demo_info *demo, const struct options *opts, struct machine *m);

/* The plan demo_measure follows: opts' strategies, with opts' runs and
 * warm-ups for `w`'s kind (--quick gives computing runs of its own). */
struct harness_plan demo_plan(const struct options *opts, size_t ntasks, const struct workload *w);

/* How long a demo's measurements should take, added up part by part before
 * any of them starts (harness_estimate), and its longest part. */
struct demo_estimate {
    double seconds;
    double longest;         /* the longest part, seconds */
    char longest_what[160]; /* what it is: "sleep, sequential: 10000 tasks x 0.2 s, ..." */
};

/* Adds harness_compare(plan, w) on `capacity` CPUs' worth (machine_capacity):
 * one part per strategy, named "<label>, <strategy>" (label NULL: the
 * workload's kind). */
void demo_estimate_add(struct demo_estimate *e, const char *label, const struct harness_plan *plan,
                       const struct workload *w, double capacity);

/* Refuses a run estimated at more than OPTIONS_LONGEST_RUN, unless --force:
 * one line on stderr, "<demo>: this run would take about 2.2 h (<its
 * longest part>); use <shorten>, or --force". `shorten` NULL: "fewer --tasks
 * or --seconds". Returns 0, or exit status 2 when refused. */
int demo_refuse_long_run(const struct demo_info *demo, const struct options *opts,
                         const struct demo_estimate *e, const char *shorten);

/* How many computing tasks a demo of both workloads runs: --tasks, or one
 * per CPU allowed (always, where demo->tasks_sleep_only). */
size_t demo_cpu_tasks(const struct demo_info *demo, const struct options *opts);

/* How many tasks a demo of sharing tasks runs (race, false_sharing):
 * --tasks, or one per CPU allowed but at least 2, since sharing takes two. */
size_t demo_sharing_tasks(const struct options *opts);

/* Each of `tasks` computing tasks' seconds, from `seconds` as sized for
 * OPTIONS_SIZED_FOR_CPUS tasks (options.h). */
double demo_share_of_work(double seconds, size_t tasks, bool quick);

/* Each computing task's seconds: --seconds as given; `seconds` as it is
 * when --tasks chose how many; else shared by one task per CPU allowed. */
double demo_cpu_seconds(const struct demo_info *demo, const struct options *opts, double seconds);

/* Measures `w` under opts->strategies with opts->tasks tasks, showing a
 * progress line on stderr when it is a terminal. Returns 0 or an exit status. */
int demo_measure(const struct demo_info *demo, const struct options *opts, size_t ntasks,
                 const struct workload *w, struct comparison *out);

/* The same with a plan the demo has changed (scaling's reference_task_cpu). */
int demo_measure_plan(const struct demo_info *demo, struct harness_plan *plan, const struct workload *w,
                      struct comparison *out);

/* With --trace FILE, writes the comparisons' timeline there (report_trace).
 * Returns 0 or an exit status (1: the file could not be written). */
int demo_write_trace(const struct demo_info *demo, const struct options *opts,
                     const struct comparison *comparisons, size_t count);

/* Measures sleep (opts->tasks tasks of opts->seconds) and cpu
 * (demo_cpu_tasks; each `cpu_seconds` unless --seconds, calibrated once)
 * into c[0] and c[1], on machine `m`; first refuses a run that would take
 * too long (demo_refuse_long_run). Returns 0 or an exit status. */
int demo_measure_both(const struct demo_info *demo, const struct options *opts, const struct machine *m,
                      double cpu_seconds, struct comparison c[2]);

/* Is `line`, as typed at a prompt, `word` or its first letter (either
 * case) with nothing else but spaces and its newline? "s", "S" or "skip"
 * skips; "slower" is a guess. */
bool demo_is_choice(const char *line, const char *word);

/* Whether to print the legend and the timelines (opts->details): always
 * when run alone; under the tour, after asking the class (ask) or never,
 * saying how to see them (omit). */
bool demo_show_details(const struct options *opts);

/* Prints the verdicts (report_verdicts) and, for the tour's --predict,
 * writes what each measured to the file ATONCE_MEASURED names, if set. */
void demo_verdicts(const struct demo_info *demo, const struct options *opts, char verdicts[][VERDICT_SIZE],
                   size_t count);

/* Reports `count` comparisons as the options ask (JSON, CSV, or tables
 * with the legend, the timelines of c[first_timeline..count-1], the
 * verdicts and the note; under the tour, opts->details, the verdicts right
 * after the tables and the legend and timelines when asked for;
 * `extra_line`, if not NULL, under the header), writes the --trace file,
 * then frees the comparisons. Returns the exit status: 0, or 1 on a
 * checksum mismatch or an unwritable trace. */
int demo_report(const struct demo_info *demo, const struct options *opts, const struct machine *m,
                struct comparison *c, size_t count, char verdicts[][VERDICT_SIZE], size_t verdict_count,
                size_t first_timeline, const char *extra_line);

/* The whole of a one-workload demo (sleep, cpu): set up, refuse a run that
 * would take too long, measure, report as the options ask. Returns the exit
 * status: 0, 1 on a failure or a checksum mismatch, 2 when refused. */
int demo_run_single(const struct demo_info *demo, const struct options *opts, struct workload *w);

#endif
