/*
 * options: the flags every harness demo shares, read with getopt_long.
 *
 * A demo describes itself in a struct demo_info (its name, defaults and
 * note) and calls options_parse. A bad value is caught here, before any
 * work starts: one line on stderr naming the flag and the problem, then the
 * usage line, and the demo exits 2. --help and --version print to stdout,
 * because the user asked for them there.
 */
#ifndef ATONCE_OPTIONS_H
#define ATONCE_OPTIONS_H

#include "harness.h"
#include "i18n.h"
#include "machine.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#define OPTIONS_MAX_TASKS   10000 /* more threads or children than a laptop should be asked for */
#define OPTIONS_MAX_SECONDS 3600.0
#define OPTIONS_MAX_RUNS    1000
#define OPTIONS_MAX_WARMUP  100
/* A run its demo estimates at longer than this is refused before it starts,
 * unless --force: a class waits a few minutes at most, and a slip (--tasks
 * 10000 where a row runs them one after another, --seconds 60 for 0.6)
 * should cost a moment, not an afternoon. */
#define OPTIONS_LONGEST_RUN 300.0 /* seconds */

/* A demo's own flag, beyond the shared ones, e.g. --keep-pipe-open. */
enum demo_flag_kind {
    DEMO_FLAG_SWITCH,   /* no value: sets a bool to true */
    DEMO_FLAG_TEXT,     /* a non-empty string: sets a const char * */
    DEMO_FLAG_SECONDS,  /* a finite duration > 0: sets a double */
    DEMO_FLAG_FRACTION, /* a number from 0 up to (not including) 1: sets a double */
    DEMO_FLAG_CHOICE,   /* one of the words in `choices`: sets a const char * */
};

struct demo_flag {
    const char *name; /* without the dashes: "keep-pipe-open" */
    enum demo_flag_kind kind;
    const char *value_name;     /* for --help: "S", "NAME" (not for switches) */
    const char *help;           /* one line for --help, with the default */
    void *target;               /* bool *, const char ** or double *, by kind */
    const char *const *choices; /* DEMO_FLAG_CHOICE: the words allowed, NULL-terminated */
};

/* The computing demos were sized on 2 CPUs, with one task per CPU. On more
 * CPUs the tasks share the work 2 tasks did there (each 2/N of it), so the
 * sequential row, which runs every task in turn, takes no longer on 64 CPUs
 * than on 2; but no task is shorter than OPTIONS_SHORTEST_TASK (--quick:
 * OPTIONS_SHORTEST_QUICK_TASK), which stays long beside the cost of
 * starting it (a fork: some 0.1-0.3 ms, notes/12-spawn_cost.md). */
#define OPTIONS_SIZED_FOR_CPUS      2
#define OPTIONS_SHORTEST_TASK       0.02
#define OPTIONS_SHORTEST_QUICK_TASK 0.01

/* What a demo is and what it does with no arguments. */
struct demo_info {
    const char *name;                         /* program name, e.g. "sleep" */
    const char *summary;                      /* one sentence for --help */
    const char *note;                         /* e.g. "notes/01-sleep.md" */
    size_t default_tasks;                     /* 0: one task per CPU allowed */
    double default_seconds;                   /* each task's sleep, or CPU time */
    size_t quick_tasks;                       /* --quick; 0: same as default_tasks */
    double quick_seconds;                     /* --quick */
    const char *default_strategies;           /* e.g. "sequential,threads,processes" */
    bool harness;                             /* takes the harness flags (--tasks, --runs, --json, ...) */
    int default_runs;                         /* 0: 3 */
    int default_warmup;                       /* with default_runs set: the warm-ups (may be 0); else 1 */
    const struct strategy *const *strategies; /* NULL-terminated; NULL: strategy_all */
    const struct demo_flag *flags;            /* its own flags, ending in {0}; may be NULL */
    bool tasks_list;                          /* --tasks may be a list, e.g. 10,100,1000 (a sweep) */
    const char *tasks_help;                   /* what --tasks means here, if not "how many tasks" */
    const char *default_tasks_help;           /* with default_tasks 0: its default, if not "one per CPU" */
    const char *seconds_help;                 /* what --seconds means here, if not each task's time */
    const char *exit_help;                    /* --help's "Exit status" line, if not the usual one */
    bool no_csv;        /* harness demos: --csv is refused (its output is not one table) */
    bool no_trace;      /* harness demos: --trace is refused (no spans to trace) */
    bool no_strategies; /* harness demos: --strategies is refused (every run measures them all) */

    /* Both workloads: --tasks sets the sleeping tasks only; computing keeps one task per CPU. */
    bool tasks_sleep_only;
    /* Computing, one task per CPU: on more CPUs they share the work (demo_cpu_seconds); --help says so. */
    bool shares_work;
};

/* Prints "Read alongside: NOTE": the line that ends every demo's output and
 * --help. When the output is in Korean (lib/i18n.h: LANGUAGE=ko, which the
 * tour's --lang ko sets for the demos it runs), it names the Korean note,
 * under notes/ko/. */
void options_print_note(const char *note);

#define OPTIONS_MAX_SIZES 16 /* sizes in a --tasks list */

/* How much of its output a demo shows. Run alone: everything, in its usual
 * order. Under the tour at a terminal (ATONCE_DETAILS, set by the tour), a
 * screen at a time, so that the question, the tables and the verdict fit a
 * 40-line projector: no machine lines (the tour showed them once), no runs
 * line, no checksum line when every check says ok; then the legend and the
 * timelines when the class asks (ask), or a line saying how to see them
 * (omit: mpi_cpu's ranks have no keyboard). */
enum options_details { DETAILS_ALL, DETAILS_ASK, DETAILS_OMIT };

struct options {
    size_t tasks;                    /* with a --tasks list: its first size */
    bool tasks_given;                /* --tasks was on the command line */
    size_t sizes[OPTIONS_MAX_SIZES]; /* a --tasks list (demo_info.tasks_list): each size */
    size_t size_count;               /* 0: no list was given */
    double seconds;
    bool seconds_given;
    int runs;           /* measured runs of waiting tasks, and of all tasks without --quick */
    int warmup;         /* warm-up runs before them */
    int compute_runs;   /* measured runs of computing tasks: --quick takes 3 short ones */
    int compute_warmup; /* and 1 warm-up, as one cold run is the noisiest */
    const struct strategy *strategies[HARNESS_MAX_STRATEGIES];
    size_t strategy_count;
    /* What the demo sets for every run of its strategies (the gil's switch
     * interval, a pool's workers): zero, the defaults, after parsing. */
    struct strategy_context strategy_context;
    struct cpu_list cpus; /* the CPUs to run on: --cpus, or all allowed */
    bool cpus_given;
    bool quick;
    bool json;
    bool csv;
    bool color;         /* stdout is a terminal, not TERM=dumb, and neither NO_COLOR nor --no-color */
    const char *trace;  /* --trace FILE: write a Perfetto / chrome://tracing timeline there */
    bool timeline_json; /* --timeline-json: --json results list their tasks too */
    enum options_details details;
    const char *measured_file; /* ATONCE_MEASURED: where the tour's --predict reads what was measured */

    /* What the command line gave, for a demo whose defaults differ (event_loop's sweep). */
    bool strategies_given, runs_given, warmup_given;
    bool force; /* --force: run even when the demo's estimate is over OPTIONS_LONGEST_RUN */
};

#define QUICK_COMPUTE_RUNS   3 /* --quick: measured runs of computing tasks */
#define QUICK_COMPUTE_WARMUP 1 /* and warm-ups before them */

/* options_parse's answer when the demo should go on and run. */
#define OPTIONS_RUN (-1)

/* Reads argv into `out`, filling defaults from `demo`. Returns OPTIONS_RUN,
 * or the exit status the demo should return at once: 0 after --help or
 * --version, 2 after a bad flag or value. */
int options_parse(int argc, char **argv, const struct demo_info *demo, struct options *out);

/* Writes `text` with each control character escaped (\n, \t, \x1b; a C1
 * control, U+0080 to U+009F in UTF-8, as \u0085): what the user typed stays
 * on its one line and cannot move the cursor or recolour the terminal. */
void options_put_escaped(FILE *to, const char *text);

/* Says "<demo>: --trace: cannot write <path, escaped>: <why>" on stderr. */
void options_say_cannot_write(const struct demo_info *demo, const char *path, const char *why);

/* For flags each right alone but wrong together, which a demo checks after
 * options_parse: prints "<demo>: <flag>: <problem>" as one line (control
 * characters escaped), then the usage, on stderr. Returns exit status 2. */
int options_refuse(const struct demo_info *demo, const char *flag, const char *format, ...)
    __attribute__((format(printf, 3, 4)));

#endif
