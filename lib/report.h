/*
 * report: the only part of lib that writes to stdout. It reads comparisons
 * and never runs anything: the table, the timeline, the verdict lines and
 * the machine header for people; JSON and CSV for scripts.
 */
#ifndef ATONCE_REPORT_H
#define ATONCE_REPORT_H

#include "harness.h"
#include "machine.h"
#include "options.h"
#include "verdict.h"

#include <stdio.h>

/* Demo title, the runs behind the first comparison's medians (opts' when
 * `first` is NULL) and the machine (machine_describe), e.g.
 *   sleep: median of 3 runs after 1 warm-up
 *   machine: 2 CPUs (2 cores, no hyper-threads), this run may use 2 (CPU 0,1)
 *   no CPU quota, Linux 6.1.0, Intel(R) Xeon(R) Processor */
void report_header(const struct demo_info *demo, const struct options *opts, const struct machine *m,
                   const struct comparison *first);

/* One workload's title line, e.g. "10 tasks, each sleeps 1 s, on 2 CPUs (0,1)",
 * and a line with its runs when they differ from `first`'s (the header's).
 * Under the tour (opts->details not DETAILS_ALL) the header prints nothing,
 * the title no runs line, and the table no checksum line when all agree. */
void report_workload_title(const struct comparison *c, const struct comparison *first,
                           const struct options *opts);

/* The table, one row per strategy, with its legend and any warnings. */
void report_table(const struct comparison *c, const struct options *opts);

/* What the columns mean: printed once, under the last table. */
void report_legend(void);

/* Who ran when: one row per task, time across, on one scale for every
 * strategy, so the faster strategies' rows are shorter. Fits 80 columns. */
void report_timeline(const struct comparison *c, const struct options *opts);

/* The verdict lines, and "Read alongside: <note>". */
void report_verdicts(char verdicts[][VERDICT_SIZE], size_t count, const struct options *opts);
void report_note(const struct demo_info *demo);

/* The whole run as one JSON object (see README.md for the keys). With
 * per_result_workload (versus), each result names its workload and CPUs
 * and the top-level "workload" is left out. With with_tasks
 * (--timeline-json), each result also lists its tasks:
 * "tasks": [{"start_s", "end_s", "cpu_s", "lane"}, ...], lane numbering the
 * threads or processes that ran them in order of first appearance. */
void report_json(FILE *to, const struct demo_info *demo, const struct machine *m,
                 const struct comparison *comparisons, size_t count, bool per_result_workload,
                 char verdicts[][VERDICT_SIZE], size_t verdict_count, bool with_tasks);

/* A header row, then one row per result, with the JSON result keys. */
void report_csv(FILE *to, const struct comparison *comparisons, size_t count, bool per_result_workload);

/* Chrome Trace Event JSON, which ui.perfetto.dev and chrome://tracing open
 * as a timeline: {"traceEvents": [...]}, one complete ("X") event per task
 * with its real pid and tid, times in microseconds, ordered by start. The
 * median run of each strategy is laid after the one before, in the order
 * measured, so the strategies stand side by side on one time axis. Tasks
 * that overlap on one thread (an event loop's) become async begin/end
 * pairs ("b"/"e"), since "X" events on one thread may only nest.
 * Returns 0 or -ENOMEM. */
int report_trace(FILE *to, const struct comparison *comparisons, size_t count);

/* The machine as a JSON object: CPUs, cores, quota, boost, model, kernel;
 * null for what could not be read. */
void report_json_machine(FILE *to, const struct machine *m);

/* `, "load": {...}, "flags": [...]` of one result, as report_json writes
 * them: what else took its CPUs, and what the verdict engine saw in it. */
void report_json_load_flags(FILE *to, const struct comparison *c, const struct measurement *m);

/* Writes `text` as a JSON string: quotes, backslashes and control
 * characters escaped. */
void report_json_string(FILE *to, const char *text);

#endif
