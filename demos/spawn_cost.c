/*
 * spawn_cost: what it costs to start and finish one unit of concurrency: a
 * thread (pthread_create + pthread_join), a process (fork + waitpid, the
 * child exiting at once), a new program (posix_spawn of `true` + wait), and
 * an empty function call for contrast. Microseconds per unit, the median of
 * 7 batches with the range.
 *
 * Usage: spawn_cost [--quick] [--json]
 *
 * The lesson: a task must be long compared with its start-up cost, or
 * running it concurrently gains nothing. notes/12-spawn_cost.md explains.
 */
#include "child.h"
#include "machine.h"
#include "options.h"
#include "output.h"
#include "progress.h"
#include "report.h"
#include "seed_common.h"
#include "stats.h"
#include "stopwatch.h"
#include "strategy.h"

#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define BATCHES 7

static bool quick, json;

static const struct demo_flag flags[] = {
    {"quick", DEMO_FLAG_SWITCH, NULL, N_("a tenth of the units: well under a second"), &quick, NULL},
    {"json", DEMO_FLAG_SWITCH, NULL, N_("print one JSON object instead of the table"), &json, NULL},
    {0},
};

static const struct demo_info demo = {
    .name = "spawn_cost",
    .summary = N_("What starting and finishing one thread, one process and one program costs,\n"
                  "beside an empty function call: why tiny tasks do not speed up."),
    .note = "notes/12-spawn_cost.md",
    .flags = flags,
};

static volatile int sink;
static char true_path[PATH_MAX]; /* found once: the search is not part of the cost */

/* One unit of each kind. Each returns 0, or -errno with *call set, or (as
 * a strategy does) -STRATEGY_SAID_IN_FULL with *call the whole reason. */
static int empty_call(const char **call)
{
    (void)call;
    sink++;
    return 0;
}

static void *thread_body(void *arg)
{
    return arg;
}

static int thread_unit(const char **call)
{
    pthread_t t;
    int err = pthread_create(&t, NULL, thread_body, NULL);
    if (err != 0) {
        *call = "pthread_create";
        return -err;
    }
    pthread_join(t, NULL);
    return 0;
}

static int fork_unit(const char **call)
{
    pid_t pid = fork();
    if (pid < 0) {
        *call = "fork";
        return -errno;
    }
    if (pid == 0)
        _exit(0); /* the child does nothing at all */
    while (waitpid(pid, NULL, 0) < 0)
        if (errno != EINTR) {
            *call = "waitpid";
            return -errno;
        }
    return 0;
}

static int spawn_unit(const char **call)
{
    static const char *const true_argv[] = {"true", NULL};
    static const struct child_options options = {.executable = true_path};
    static char failure[256];
    struct child c;
    struct child_error error = {0};
    int err = child_spawn(&c, true_argv, &options, &error);
    if (err == 0)
        err = child_wait(&c, -1.0, &error);
    if (err != 0) {
        child_error_format(&error, failure, sizeof failure); /* "exec 'true': No such file or directory" */
        *call = failure;
        err = -STRATEGY_SAID_IN_FULL;
    } else if (child_returncode(&c) != 0) { /* it did not run as it should: its cost means nothing */
        char how[64];
        child_describe(&c, how, sizeof how);
        snprintf(failure, sizeof failure, "true: %s", how);
        *call = failure;
        err = -STRATEGY_SAID_IN_FULL;
    }
    if (c.pid > 0)
        child_close(&c);
    return err;
}

struct unit {
    const char *name; /* in the JSON as it is; translated in the table */
    int (*run)(const char **call);
    long count; /* units per batch */
    double us, us_min, us_max;
};

static int measure(struct unit *u)
{
    double per_unit[BATCHES];
    long count = quick ? u->count / 10 : u->count;
    for (int b = 0; b < BATCHES; b++) {
        double start = stopwatch_now();
        for (long i = 0; i < count; i++) {
            const char *call = "?";
            int err = u->run(&call);
            if (err != 0) {
                char why[512];
                strategy_failure_format(call, err, why, sizeof why);
                fprintf(stderr, "spawn_cost: %s\n", why);
                return 1;
            }
        }
        per_unit[b] = (stopwatch_now() - start) / (double)count * 1e6;
    }
    u->us = stats_median(per_unit, BATCHES);
    u->us_min = stats_min(per_unit, BATCHES);
    u->us_max = stats_max(per_unit, BATCHES);
    return 0;
}

static void print_json(const struct machine *m, const struct unit *units, size_t n)
{
    printf("{\"demo\": \"spawn_cost\", \"version\": \"%s\", \"machine\": {\"cpus_online\": %d, \"kernel\": ",
           ATONCE_VERSION, m->cpus_online);
    report_json_string(stdout, m->kernel);
    printf("}, \"units\": [");
    for (size_t i = 0; i < n; i++)
        printf("%s{\"name\": \"%s\", \"us\": %.6g, \"us_min\": %.6g, \"us_max\": %.6g}", i > 0 ? ", " : "",
               units[i].name, units[i].us, units[i].us_min, units[i].us_max);
    printf("]}\n");
}

static void print_table(const struct options *opts, const struct machine *m, const struct unit *units,
                        size_t n)
{
    printf(_("spawn_cost: start and finish one unit, median of %d batches\n"), BATCHES);
    if (opts->details == DETAILS_ALL) /* under the tour, which showed the machine once */
        printf(_("machine: %d CPUs online, Linux %s\n"), m->cpus_online, m->kernel);
    printf("\n%-30s %10s  %-19s %s\n", "unit", "us each", "min-max", "vs a thread");
    const struct unit *thread = &units[1];
    for (size_t i = 0; i < n; i++) {
        const char *name = _(units[i].name); /* the calls' names have no translation: they stay */
        printf("%-*s %10.3f  %8.3f-%-10.3f %8.1fx\n", seed_pad(name, 30), name, units[i].us, units[i].us_min,
               units[i].us_max, units[i].us / thread->us);
    }
    /* A task that takes as long as its own start-up gains at most 2x; ten
     * times as long, and the start-up costs a tenth. */
    printf("\n");
    /* TRANSLATORS: the start-up costs (us) of a thread, a process, a program; then 10x each, in ms */
    printf(_("-> starting a task costs %.0f us as a thread, %.0f us as a process,\n"
             "   %.0f us as a program: a task should run much longer than that\n"
             "   (10x: %.1f ms, %.1f ms, %.1f ms) to gain from its own thread,\n"
             "   process or program.\n"),
           units[1].us, units[2].us, units[3].us, units[1].us / 100.0, units[2].us / 100.0,
           units[3].us / 100.0);
    report_note(&demo);
}

int main(int argc, char **argv)
{
    struct options opts;
    int done = options_parse(argc, argv, &demo, &opts);
    if (done != OPTIONS_RUN)
        return done;
    struct child_error error = {0};
    if (seed_find_program("true", true_path, sizeof true_path, &error) != 0)
        return seed_fail(demo.name, &error);
    struct machine m;
    if (machine_read(&m) != 0) {
        perror("spawn_cost: uname");
        return 1;
    }
    struct unit units[] = {
        {N_("empty function call"), empty_call, 1000000, 0, 0, 0},
        {"pthread_create + join", thread_unit, 2000, 0, 0, 0},
        {"fork + waitpid", fork_unit, 500, 0, 0, 0},
        {"posix_spawn true + wait", spawn_unit, 200, 0, 0, 0},
    };
    size_t n = sizeof units / sizeof units[0];
    output_flush(stdout); /* forked children must not inherit unwritten output */
    for (size_t i = 0; i < n; i++) {
        progress_show(_("timing %s (%zu of %zu)"), _(units[i].name), i + 1, n);
        int err = measure(&units[i]);
        progress_clear();
        if (err != 0)
            return 1;
    }
    if (json)
        print_json(&m, units, n);
    else
        print_table(&opts, &m, units, n);
    return 0;
}
