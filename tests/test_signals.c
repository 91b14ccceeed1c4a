/* Ctrl-C (SIGINT) or SIGTERM to a demo in the middle of its work: it exits
 * 130 (143) within a second, and every child it started is gone; a task's
 * child killed from outside is named with its signal. This
 * test is a subreaper, so anything the demo left behind becomes our child:
 * after reaping the dead ones, none may be left alive. Only the demo's own
 * pid is signalled, as `kill PID` does, not its process group: stopping the
 * children is the demo's job. SLEEP and PARALLEL_CHILDREN are paths from meson. */
#include "child.h"
#include "orphans.h"

#include <criterion/criterion.h>
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

/* Starts argv, lets it run 0.5 s (its children started), sends `sig` to
 * it alone, and returns its returncode. */
static int interrupt_after_half_a_second(const char *const argv[], int sig)
{
    orphans_adopt();
    struct child_options options = {
        .in.mode = CHILD_DEVNULL, .out.mode = CHILD_DEVNULL, .err.mode = CHILD_DEVNULL};
    struct child c;
    struct child_error e = {0};
    cr_assert_eq(child_spawn(&c, argv, &options, &e), 0, "spawn: %s", strerror(e.error));
    usleep(500 * 1000);
    cr_assert_eq(kill(c.pid, sig), 0);
    cr_assert_eq(child_wait(&c, 1.0, &e), 0, "%s still runs 1 s after the signal", argv[0]);
    int code = child_returncode(&c);
    child_close(&c);
    return code;
}

/* Four forked tasks sleeping 5 s: the processes strategy mid-run. */
static const char *const processes[] = {SLEEP, "--strategies", "processes", "--tasks",  "4", "--seconds",
                                        "5",   "--runs",       "1",         "--warmup", "0", NULL};

Test(signals, ctrl_c_in_the_processes_strategy_exits_130_and_leaves_nothing, .timeout = 30)
{
    cr_assert_eq(interrupt_after_half_a_second(processes, SIGINT), 130);
    orphans_expect_none_alive("the demo");
}

Test(signals, sigterm_in_the_processes_strategy_exits_143_and_leaves_nothing, .timeout = 30)
{
    cr_assert_eq(interrupt_after_half_a_second(processes, SIGTERM), 143);
    orphans_expect_none_alive("the demo");
}

/* Four `sleep 5` programs started with lib/child. */
static const char *const children[] = {PARALLEL_CHILDREN,
                                       "--no-sequential",
                                       "--tasks",
                                       "4",
                                       "--seconds",
                                       "5",
                                       "--runs",
                                       "1",
                                       "--warmup",
                                       "0",
                                       NULL};

Test(signals, ctrl_c_in_parallel_children_exits_130_and_leaves_nothing, .timeout = 30)
{
    cr_assert_eq(interrupt_after_half_a_second(children, SIGINT), 130);
    orphans_expect_none_alive("the demo");
}

Test(signals, sigterm_in_parallel_children_exits_143_and_leaves_nothing, .timeout = 30)
{
    cr_assert_eq(interrupt_after_half_a_second(children, SIGTERM), 143);
    orphans_expect_none_alive("the demo");
}

/* The pid of a child of `parent`, read from /proc (field 4 of
 * /proc/PID/stat is the parent's pid), waiting up to 2 s for one. */
static pid_t child_of(pid_t parent)
{
    for (int tries = 0; tries < 200; tries++, usleep(10 * 1000)) {
        DIR *proc = opendir("/proc");
        cr_assert_not_null(proc);
        pid_t found = -1;
        for (struct dirent *entry; found < 0 && (entry = readdir(proc)) != NULL;) {
            char path[300], stat[512];
            snprintf(path, sizeof path, "/proc/%s/stat", entry->d_name);
            FILE *f = fopen(path, "r");
            if (f == NULL)
                continue;
            size_t n = fread(stat, 1, sizeof stat - 1, f);
            fclose(f);
            stat[n] = '\0';
            const char *after_name = strrchr(stat, ')'); /* the name may hold spaces and ')' */
            int ppid;
            if (after_name != NULL && sscanf(after_name + 1, " %*c %d", &ppid) == 1 && ppid == parent)
                found = atoi(entry->d_name);
        }
        closedir(proc);
        if (found > 0)
            return found;
    }
    return -1;
}

/* Starts argv, kills its first child with SIGKILL once there is one, and
 * returns its returncode with what it wrote on stderr. */
static int kill_a_task_child(const char *const argv[], struct child_buffer *err)
{
    orphans_adopt();
    struct child_options options = {
        .in.mode = CHILD_DEVNULL, .out.mode = CHILD_DEVNULL, .err.mode = CHILD_PIPE};
    struct child c;
    struct child_error e = {0};
    cr_assert_eq(child_spawn(&c, argv, &options, &e), 0, "spawn: %s", strerror(e.error));
    pid_t task = child_of(c.pid);
    cr_assert_gt(task, 0, "%s started no child in 2 s", argv[0]);
    cr_assert_eq(kill(task, SIGKILL), 0);
    struct child_io io = {.err = err};
    cr_assert_eq(child_communicate(&c, &io, 5.0, &e), 0, "%s still runs 5 s after its child was killed",
                 argv[0]);
    int code = child_returncode(&c);
    child_close(&c);
    return code;
}

/* No errno describes a child killed by a signal: the demo says so, not
 * "No child processes" (ECHILD's text). */
Test(signals, a_task_child_killed_from_outside_is_named_with_its_signal, .timeout = 30)
{
    const char *const one_process[] = {SLEEP, "--strategies", "processes", "--tasks",  "1", "--seconds",
                                       "5",   "--runs",       "1",         "--warmup", "0", NULL};
    struct child_buffer err = {0};
    cr_assert_eq(kill_a_task_child(one_process, &err), 1, "%s", err.data);
    cr_expect_not_null(strstr(err.data, "sleep: child 0 (pid "), "%s", err.data);
    cr_expect_not_null(strstr(err.data, "): killed by SIGKILL\n"), "%s", err.data);
    cr_expect_null(strstr(err.data, "No child processes"), "%s", err.data);
    child_buffer_free(&err);
    orphans_expect_none_alive("the demo");
}

Test(signals, a_sleep_child_killed_from_outside_is_named_with_its_signal, .timeout = 30)
{
    const char *const one_child[] = {PARALLEL_CHILDREN,
                                     "--no-sequential",
                                     "--tasks",
                                     "1",
                                     "--seconds",
                                     "5",
                                     "--runs",
                                     "1",
                                     "--warmup",
                                     "0",
                                     NULL};
    struct child_buffer err = {0};
    cr_assert_eq(kill_a_task_child(one_child, &err), 1, "%s", err.data);
    cr_expect_not_null(strstr(err.data, "parallel_children: 'sleep' for task 0 (pid "), "%s", err.data);
    cr_expect_not_null(strstr(err.data, "): killed by SIGKILL\n"), "%s", err.data);
    cr_expect_null(strstr(err.data, "No child processes"), "%s", err.data);
    child_buffer_free(&err);
    orphans_expect_none_alive("the demo");
}
