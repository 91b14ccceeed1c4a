/* Faults: fork() or pthread_create() failing part-way (through the
 * LD_PRELOADed tests/resources/failing.c, since root ignores RLIMIT_NPROC),
 * and a program that cannot be started. Each time the demo names the call
 * that failed, exits 1, and leaves nothing behind: this test is a
 * subreaper, so any child the demo did not reap becomes ours. FAILING (the
 * library) and DEMO_DIR come from meson. */
#include "child.h"
#include "orphans.h"
#include "stopwatch.h"

#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

/* Runs a demo with extra environment; returns its returncode and stderr. */
static int run_demo(const char *name, const char *const args[], const char *const env[],
                    struct child_result *r)
{
    orphans_adopt();
    char path[512];
    snprintf(path, sizeof path, "%s/%s", DEMO_DIR, name);
    const char *argv[16] = {path};
    for (size_t i = 0; args[i] != NULL && i < 14; i++)
        argv[i + 1] = args[i];
    struct child_run_options options = {.capture = true, .timeout = 30.0};
    options.spawn.env_set = env;
    options.spawn.in.mode = CHILD_DEVNULL;
    struct child_error e = {0};
    int err = child_run(argv, &options, r, &e);
    cr_assert(err == 0 || err == -ECHILD, "%s could not run: %s", name, strerror(-err));
    return r->returncode;
}

/* Four tasks of 5 s: had the demo left a child running, it would be ours. */
static const char *const four_long_tasks[] = {"--tasks",  "4", "--seconds",    "5",  "--runs", "1",
                                              "--warmup", "0", "--strategies", NULL, NULL};

Test(faults, fork_failing_after_two_children_is_reported_and_they_are_reaped, .timeout = 60)
{
    const char *args[11];
    memcpy(args, four_long_tasks, sizeof args);
    args[9] = "processes";
    const char *const env[] = {"LD_PRELOAD=" FAILING, "ATONCE_FAIL_FORK_AFTER=2", NULL};
    struct child_result r;
    double start = stopwatch_now();
    cr_assert_eq(run_demo("sleep", args, env, &r), 1, "%s", r.err.data);
    cr_expect_not_null(strstr(r.err.data, "sleep: fork: Resource temporarily unavailable"), "%s", r.err.data);
    cr_expect_lt(stopwatch_now() - start, 4.0, "the children started were not stopped, but waited for");
    child_result_free(&r);
    orphans_expect_none_alive("the demo");
}

Test(faults, pthread_create_failing_after_two_threads_is_reported, .timeout = 60)
{
    const char *args[11];
    memcpy(args, four_long_tasks, sizeof args);
    args[3] = "0.2"; /* threads cannot be stopped from outside: short tasks, joined */
    args[9] = "threads";
    const char *const env[] = {"LD_PRELOAD=" FAILING, "ATONCE_FAIL_PTHREAD_CREATE_AFTER=2", NULL};
    struct child_result r;
    cr_assert_eq(run_demo("sleep", args, env, &r), 1, "%s", r.err.data);
    cr_expect_not_null(strstr(r.err.data, "sleep: pthread_create: Resource temporarily unavailable"), "%s",
                       r.err.data);
    child_result_free(&r);
    orphans_expect_none_alive("the demo");
}

Test(faults, a_program_that_cannot_start_is_named_and_nothing_is_left, .timeout = 60)
{
    const char *const args[] = {NULL};
    const char *const env[] = {"PATH=/nonexistent", NULL}; /* echo cannot be found */
    struct child_result r;
    cr_assert_eq(run_demo("run_capture", args, env, &r), 1, "%s", r.err.data);
    cr_expect_not_null(strstr(r.err.data, "echo"), "%s", r.err.data);
    cr_expect_not_null(strstr(r.err.data, "No such file or directory"), "%s", r.err.data);
    child_result_free(&r);
    orphans_expect_none_alive("the demo");
}

/* A program that cannot start, in a harness demo and in spawn_cost: the
 * reason is said once ("exec 'sleep': No such file or directory"), not
 * twice over. */
Test(faults, a_missing_program_is_named_once_with_its_reason, .timeout = 60)
{
    const char *const env[] = {"PATH=/nonexistent", NULL}; /* sleep and true cannot be found */
    const char *const quick[] = {"--quick", NULL};
    struct child_result r;
    cr_assert_eq(run_demo("parallel_children", quick, env, &r), 1, "%s", r.err.data);
    cr_expect_str_eq(r.err.data, "parallel_children: exec 'sleep': No such file or directory\n");
    child_result_free(&r);
    cr_assert_eq(run_demo("spawn_cost", quick, env, &r), 1, "%s", r.err.data);
    cr_expect_str_eq(r.err.data, "spawn_cost: exec 'true': No such file or directory\n");
    child_result_free(&r);
    orphans_expect_none_alive("the demo");
}

/* pipeline when no chain can start (its pipes refused: at most 4 open
 * files): it says why and nothing else, not "started 0 chains" first. */
Test(faults, pipeline_that_starts_no_chain_does_not_say_it_started_some, .timeout = 60)
{
    orphans_adopt();
    char path[512];
    snprintf(path, sizeof path, "%s/pipeline", DEMO_DIR);
    const char *const argv[] = {"/bin/sh", "-c", "ulimit -n 4 && exec \"$0\"", path, NULL};
    struct child_run_options options = {.capture = true, .timeout = 30.0};
    options.spawn.in.mode = CHILD_DEVNULL;
    struct child_result r;
    struct child_error e = {0};
    int err = child_run(argv, &options, &r, &e);
    cr_assert_eq(err, 0, "pipeline could not run: %s", strerror(-err));
    cr_expect_eq(r.returncode, 1, "%s", r.err.data);
    cr_expect_not_null(strstr(r.err.data, "pipeline: pipe '"), "%s", r.err.data);
    cr_expect_not_null(strstr(r.err.data, "': Too many open files\n"), "%s", r.err.data);
    cr_expect_eq(r.out.len, 0, "stdout: %s", r.out.data);
    child_result_free(&r);
    orphans_expect_none_alive("the demo");
}

/* The event_loop sweep measures each point in a child of its own: a point
 * whose fork failed (as under `ulimit -u 30`) is shown as failed, named on
 * stderr, and the demo exits 1. Here the measuring child's own first fork
 * fails, then the demo's next. */
Test(faults, a_failed_sweep_point_exits_1, .timeout = 60)
{
    const char *const args[] = {"--tasks", "10,20", "--seconds", "0.05", "--strategies", "processes", NULL};
    const char *const env[] = {"LD_PRELOAD=" FAILING, "ATONCE_FAIL_FORK_AFTER=1", NULL};
    struct child_result r;
    cr_assert_eq(run_demo("event_loop", args, env, &r), 1, "stdout:\n%s\nstderr:\n%s", r.out.data,
                 r.err.data);
    cr_expect_not_null(strstr(r.out.data, "failed: fork: Resource temporarily unavailable"), "%s",
                       r.out.data);
    cr_expect_not_null(strstr(r.err.data, "event_loop: "), "%s", r.err.data);
    cr_expect_not_null(strstr(r.err.data, "fork: Resource temporarily unavailable"), "%s", r.err.data);
    child_result_free(&r);
    orphans_expect_none_alive("the sweep");
}
