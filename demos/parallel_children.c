/*
 * parallel_children: start ten `sleep 1` children at once and wait for them
 * all: about 1 s, not 10 s. Python's "Popen ten times, then communicate()
 * with each", in C, measured through the shared harness: one row runs the
 * children one after another, the other starts them all, then waits.
 *
 * Usage: parallel_children [--tasks N] [--seconds S] [--no-sequential] [--json] ...
 *
 * The children sleep, so they overlap even on one CPU (--cpus 0): each is a
 * separate process the kernel schedules, and a sleeping one needs no CPU.
 * notes/06-parallel_children.md sets the C beside the Python, with a run.
 */
#include "child.h"
#include "demo.h"
#include "seed_common.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>

static bool no_sequential;
static char failure[256];         /* why a task failed, said in full (STRATEGY_SAID_IN_FULL) */
static char sleep_path[PATH_MAX]; /* coreutils' sleep: build/demos/sleep is our sleep demo */

static const struct demo_flag flags[] = {
    {"no-sequential", DEMO_FLAG_SWITCH, NULL, N_("skip the slow one-after-another row"), &no_sequential,
     NULL},
    {0},
};

/* A task: run `sleep <seconds>` as a child. Starts it; returns 0, or
 * -STRATEGY_SAID_IN_FULL with lib/child's words for what failed. */
static int start_sleeper(const struct workload *w, struct child *c)
{
    char seconds[32];
    snprintf(seconds, sizeof seconds, "%g", w->seconds);
    const char *const argv[] = {"sleep", seconds, NULL};
    struct child_options options = {.executable = sleep_path};
    struct child_error error = {0};
    if (child_spawn(c, argv, &options, &error) == 0)
        return 0;
    child_error_format(&error, failure, sizeof failure); /* "exec 'sleep': No such file or directory" */
    return -STRATEGY_SAID_IN_FULL;
}

/* CPU used by the children reaped so far, in seconds. */
static double children_cpu(void)
{
    struct rusage r;
    getrusage(RUSAGE_CHILDREN, &r);
    return (double)(r.ru_utime.tv_sec + r.ru_stime.tv_sec) +
           (double)(r.ru_utime.tv_usec + r.ru_stime.tv_usec) / 1e6;
}

/* Waits for a started sleeper; fills its record. Returns 0, or
 * -STRATEGY_SAID_IN_FULL when the wait failed or sleep did not exit 0. */
static int finish_sleeper(struct child *c, size_t task, struct task_record *record)
{
    struct child_error error = {0};
    double before = children_cpu();
    int err = child_wait(c, -1.0, &error);
    record->span.end = stopwatch_now();
    record->span.cpu = children_cpu() - before; /* the child's own CPU, counted when it is reaped */
    if (err != 0) {
        child_error_format(&error, failure, sizeof failure);
        err = -STRATEGY_SAID_IN_FULL;
    } else if (child_returncode(c) != 0) {
        char how[64];
        child_describe(c, how, sizeof how); /* "exited with 1", "killed by SIGKILL" */
        snprintf(failure, sizeof failure, "'sleep' for task %zu (pid %d): %s", task, (int)c->pid, how);
        err = -STRATEGY_SAID_IN_FULL;
    }
    record->checksum = err == 0 ? workload_token(task) : 0;
    child_close(c);
    return err;
}

/* Each child started and waited for before the next one starts. */
static int run_one_after_another(const struct strategy_context *context, const struct workload *w,
                                 size_t ntasks, struct task_record *records, const char **failed_call)
{
    (void)context; /* no settings */
    for (size_t i = 0; i < ntasks; i++) {
        struct child c;
        span_start(&records[i].span);
        int err = start_sleeper(w, &c);
        records[i].span.pid = records[i].span.tid = (int)c.pid; /* the task is the child */
        if (err == 0)
            err = finish_sleeper(&c, i, &records[i]);
        if (err != 0) {
            *failed_call = failure;
            return err;
        }
    }
    return 0;
}

/* Every child started first, then each waited for: the seed's way. */
static int run_all_at_once(const struct strategy_context *context, const struct workload *w, size_t ntasks,
                           struct task_record *records, const char **failed_call)
{
    (void)context; /* no settings */
    struct child *children = calloc(ntasks, sizeof *children);
    if (children == NULL) {
        *failed_call = "calloc";
        return -ENOMEM;
    }
    size_t started = 0;
    int err = 0;
    for (; started < ntasks && err == 0; started++) {
        span_start(&records[started].span);
        if ((err = start_sleeper(w, &children[started])) != 0)
            break;
        records[started].span.pid = records[started].span.tid = (int)children[started].pid;
    }
    for (size_t i = 0; i < started; i++) { /* wait for every child started, even after a failure */
        int finished = finish_sleeper(&children[i], i, &records[i]);
        if (err == 0)
            err = finished;
    }
    free(children);
    if (err != 0)
        *failed_call = failure;
    return err;
}

static const struct strategy one_after_another = {
    .name = "sequential",
    .explains = N_("each child started and waited for before the next"),
    .run = run_one_after_another,
};

static const struct strategy all_at_once = {
    .name = "processes",
    .explains = N_("every child started with child_spawn, then each waited for"),
    .overlaps_waiting = true,
    .computes_in_parallel = true,
    .start_cost = 5e-4,
    .run = run_all_at_once,
};

static const struct strategy *const strategies[] = {&one_after_another, &all_at_once, NULL};

static const struct demo_info demo = {
    .name = "parallel_children",
    .summary = N_("Starts `sleep 1` children one after another, then all at once (the seed's\n"
                  "Popen loop): ten 1 s children take about 1 s together, not 10 s."),
    .note = "notes/06-parallel_children.md",
    .default_tasks = 10,
    .default_seconds = 1.0,
    .quick_tasks = 10,
    .quick_seconds = 0.1,
    .default_strategies = "sequential,processes",
    .harness = true,
    .default_runs = 1,
    .default_warmup = 0, /* like the seed: one run; 11 s in all */
    .strategies = strategies,
    .flags = flags,
};

int main(int argc, char **argv)
{
    struct options opts;
    int done = options_parse(argc, argv, &demo, &opts);
    if (done != OPTIONS_RUN)
        return done;
    if (no_sequential) { /* keep only what is not sequential */
        size_t kept = 0;
        for (size_t i = 0; i < opts.strategy_count; i++)
            if (opts.strategies[i] != &one_after_another)
                opts.strategies[kept++] = opts.strategies[i];
        opts.strategy_count = kept;
    }
    if (opts.strategy_count == 0)
        return options_refuse(&demo, "--no-sequential", "no strategy left to run");
    struct child_error error = {0};
    if (seed_find_program("sleep", sleep_path, sizeof sleep_path, &error) != 0)
        return seed_fail(demo.name, &error);
    struct workload sleeping = {.kind = &workload_sleep, .seconds = opts.seconds};
    return demo_run_single(&demo, &opts, &sleeping);
}
