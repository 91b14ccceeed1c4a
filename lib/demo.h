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

/* Measures `w` under opts->strategies with opts->tasks tasks, showing a
 * progress line on stderr when it is a terminal. Returns 0 or an exit status. */
int demo_measure(const struct demo_info *demo, const struct options *opts, size_t ntasks,
                 const struct workload *w, struct comparison *out);

/* With --trace FILE, writes the comparisons' timeline there (report_trace).
 * Returns 0 or an exit status (1: the file could not be written). */
int demo_write_trace(const struct demo_info *demo, const struct options *opts,
                     const struct comparison *comparisons, size_t count);

/* Measures sleep (opts->tasks tasks of opts->seconds) and cpu (one task per
 * CPU unless --tasks; each `cpu_seconds` unless --seconds, calibrated once)
 * into c[0] and c[1]. Returns 0 or an exit status. */
int demo_measure_both(const struct demo_info *demo, const struct options *opts, double cpu_seconds,
                      struct comparison c[2]);

/* Reports `count` comparisons as the options ask (JSON, CSV, or tables
 * with the legend, the timelines of c[first_timeline..count-1], the
 * verdicts and the note; `extra_line`, if not NULL, under the header),
 * writes the --trace file, then frees the comparisons. Returns the exit
 * status: 0, or 1 on a checksum mismatch or an unwritable trace. */
int demo_report(const struct demo_info *demo, const struct options *opts, const struct machine *m,
                struct comparison *c, size_t count, char verdicts[][VERDICT_SIZE], size_t verdict_count,
                size_t first_timeline, const char *extra_line);

/* The whole of a one-workload demo (sleep, cpu): set up, measure, report
 * as the options ask. Returns the exit status: 0, or 1 on a failure or a
 * checksum mismatch. */
int demo_run_single(const struct demo_info *demo, const struct options *opts, struct workload *w);

#endif
