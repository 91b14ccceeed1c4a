/* A signal storm: SIGINT, SIGTERM, SIGHUP and SIGQUIT, each sent to the
 * demo's pid alone (as `kill PID` does) at a moment spread over its busiest
 * time, when it forks or spawns children fastest. Whatever the moment, the
 * demo ends within 5 s (far longer than it needs: a busy machine), by the signal, and leaves no process behind: this
 * test is a subreaper, so an orphan would become ours. Paths come from
 * meson (DEMO_DIR); each demo is stormed STORM_RUNS times. */
#include "child.h"
#include "orphans.h"

#include <criterion/criterion.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define STORM_RUNS 52 /* 13 of each signal */

static const int storm_signals[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT};

/* The moment of run i: spread evenly over [0, span) seconds, in an order
 * that jumps about (i * 7 mod STORM_RUNS), so that every part of the run
 * is hit by every signal. */
static double moment(int i, double span)
{
    return span * (double)((i * 7) % STORM_RUNS) / STORM_RUNS;
}

static void sleep_for(double seconds)
{
    struct timespec ts = {.tv_sec = (time_t)seconds,
                          .tv_nsec = (long)((seconds - (double)(time_t)seconds) * 1e9)};
    while (nanosleep(&ts, &ts) != 0)
        ;
}

/* Starts the demo, signals it at moment(i, span), and checks how it ended. */
static void storm_once(const char *const argv[], int i, double span)
{
    int sig = storm_signals[i % 4];
    struct child_options options = {
        .in.mode = CHILD_DEVNULL, .out.mode = CHILD_DEVNULL, .err.mode = CHILD_DEVNULL};
    struct child c;
    struct child_error e = {0};
    cr_assert_eq(child_spawn(&c, argv, &options, &e), 0, "spawn %s: %s", argv[0], strerror(e.error));
    double at = moment(i, span);
    sleep_for(at);
    cr_assert_eq(kill(c.pid, sig), 0);
    cr_assert_eq(child_wait(&c, 5.0, &e), 0, "%s still runs 5 s after %s at %.3f s", argv[0], strsignal(sig),
                 at);
    int code = child_returncode(&c);
    child_close(&c);
    /* 128 + sig from our handler; -sig when it came before the handler was
     * installed; 0 when a short run had ended first (then nothing may be left either) */
    cr_expect(code == 128 + sig || code == -sig || code == 0, "%s: %s at %.3f s: returncode %d", argv[0],
              strsignal(sig), at, code);
    orphans_expect_none_alive(argv[0]);
}

/* Storms DEMO_DIR/name run with `args` (at most 14), over [0, span) seconds. */
static void storm(const char *name, const char *const args[], double span)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", DEMO_DIR, name);
    const char *argv[16] = {path};
    for (size_t i = 0; args[i] != NULL && i < 14; i++)
        argv[i + 1] = args[i];
    orphans_adopt();
    for (int i = 0; i < STORM_RUNS; i++)
        storm_once(argv, i, span);
}

/* 200 `sleep 5` programs started with lib/child, as fast as it can. */
Test(storm, parallel_children_200_tasks, .timeout = 240)
{
    const char *const args[] = {"--no-sequential", "--tasks", "200",      "--seconds", "5",
                                "--runs",          "1",       "--warmup", "0",         NULL};
    storm("parallel_children", args, 0.4);
}

/* 40 forked tasks sleeping 5 s: the processes strategy. */
Test(storm, sleep_processes, .timeout = 240)
{
    const char *const args[] = {"--strategies", "processes", "--tasks",  "40", "--seconds", "5",
                                "--runs",       "1",         "--warmup", "0",  NULL};
    storm("sleep", args, 0.3);
}

/* 8 forked tasks computing 5 s each, after calibrating. */
Test(storm, cpu_processes, .timeout = 240)
{
    const char *const args[] = {"--strategies", "processes", "--tasks",  "8", "--seconds", "5",
                                "--runs",       "1",         "--warmup", "0", NULL};
    storm("cpu", args, 0.5);
}

/* race: processes that share a counter and a process-shared mutex; a
 * child killed while it holds the mutex must not leave the demo waiting. */
Test(storm, race_processes, .timeout = 240)
{
    const char *const args[] = {"--strategies", "processes", "--tasks",  "8", "--seconds", "5",
                                "--runs",       "1",         "--warmup", "0", NULL};
    storm("race", args, 0.6);
}

/* false_sharing's threads, then pinned: the signal may come while pinned. */
Test(storm, false_sharing_threads, .timeout = 240)
{
    const char *const args[] = {"--tasks", "4", "--seconds", "0.5", "--runs", "1", "--warmup", "0", NULL};
    storm("false_sharing", args, 0.6);
}

#ifdef ATONCE_HAVE_OPENMP
/* openmp first: its idle team threads live on while processes forks, and a
 * signal may be handled in one of them while the main thread forks. */
Test(storm, cpu_openmp_then_processes, .timeout = 240)
{
    const char *const args[] = {"--strategies",
                                "openmp,processes",
                                "--tasks",
                                "8",
                                "--seconds",
                                "0.02",
                                "--runs",
                                "1",
                                "--warmup",
                                "0",
                                NULL};
    storm("cpu", args, 0.6);
}
#endif

/* Three openssl chains, the middle pipe kept open: they hang until stopped. */
Test(storm, pipeline_kept_open, .timeout = 240)
{
    const char *const args[] = {"--keep-pipe-open", NULL};
    storm("pipeline", args, 0.4);
}

/* sleep 10, then forker and its child sleep, twice: every part of the run. */
Test(storm, timeout, .timeout = 240)
{
    const char *const args[] = {NULL};
    storm("timeout", args, 0.9);
}
