/* Ctrl-C (SIGINT) or SIGTERM to a demo in the middle of its work: it exits
 * 130 (143) within a second, and every child it started is gone. This
 * test is a subreaper, so anything the demo left behind becomes our child:
 * after reaping the dead ones, none may be left alive. Only the demo's own
 * pid is signalled, as `kill PID` does, not its process group: stopping the
 * children is the demo's job. SLEEP and PARALLEL_CHILDREN are paths from meson. */
#include "child.h"
#include "orphans.h"

#include <criterion/criterion.h>
#include <errno.h>
#include <signal.h>
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
