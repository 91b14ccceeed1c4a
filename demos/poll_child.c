/*
 * poll_child: start `sleep 1`, and ask "finished yet?" in a loop, printing
 * "working..." while it runs: Python's Popen + poll(), in C. Then the same
 * wait done right, with child_wait, which sleeps until the kernel says the
 * child has exited. The point is the bill: the busy loop burns a whole CPU
 * for the second it waits; child_wait burns next to nothing.
 *
 * Usage: poll_child [--seconds S]
 *
 * notes/05-poll_child.md sets the C beside the Python, with a real run.
 */
#include "child.h"
#include "options.h"
#include "report.h"
#include "seed_common.h"
#include "stopwatch.h"

#include <limits.h>
#include <stdio.h>

#define REPORT_EVERY 0.1 /* seconds between "working..." lines: the seed prints one per poll */

static double seconds = 1.0;
static char sleep_path[PATH_MAX]; /* coreutils' sleep: build/demos/sleep is our sleep demo */

static const struct demo_flag flags[] = {
    {"seconds", DEMO_FLAG_SECONDS, "S", N_("how long the child sleeps (default 1)"), &seconds, NULL},
    {0},
};

static const struct demo_info demo = {
    .name = "poll_child",
    .summary = N_("Waits for `sleep 1` twice: polling in a busy loop (Popen.poll), then blocking\n"
                  "in child_wait. Shows how many polls and how much CPU each way of waiting took."),
    .note = "notes/05-poll_child.md",
    .flags = flags,
};

/* What one way of waiting cost. */
struct bill {
    long calls;
    double wall, cpu;
};

static void print_bill(const char *how, const struct bill *b)
{
    /* TRANSLATORS: "parent: busy poll:     250325 calls, 0.061 s of CPU in 0.101 s (61% of a CPU)" */
    printf(ngettext("parent: %-*s %9ld call, %.3f s of CPU in %.3f s (%.0f%% of a CPU)\n",
                    "parent: %-*s %9ld calls, %.3f s of CPU in %.3f s (%.0f%% of a CPU)\n",
                    (unsigned long)b->calls),
           seed_pad(how, 11), how, b->calls, b->cpu, b->wall, 100.0 * b->cpu / b->wall);
}

/* Starts `sleep S`; returns 0 or an exit status. */
static int start_sleep(struct child *c, const char *how)
{
    char text[32];
    snprintf(text, sizeof text, "%g", seconds);
    const char *const sleep_argv[] = {"sleep", text, NULL};
    struct child_options options = {.executable = sleep_path};
    struct child_error error = {0};
    if (child_spawn(c, sleep_argv, &options, &error) != 0)
        return seed_fail(demo.name, &error);
    /* TRANSLATORS: "parent: started sleep 1 (pid 29688); polling it in a loop" */
    printf(_("parent: started sleep %s (pid %d); %s\n"), text, (int)c->pid, how);
    return 0;
}

/* Reports how sleep ended and what waiting for it cost. Returns 0, or 1
 * when sleep did not exit 0: then it did not sleep, and the bill is moot. */
static int finish(struct child *c, const struct bill *b, const char *how)
{
    char status[64];
    seed_describe(c, status, sizeof status);
    /* TRANSLATORS: "parent: sleep exited with 0: returncode 0" */
    printf(_("parent: sleep %s: returncode %d\n"), status, child_returncode(c));
    int failed = seed_expect_returncode(demo.name, c, 0);
    if (!failed)
        print_bill(how, b);
    child_close(c);
    return failed;
}

/* The seed's way: ask again and again. */
static int busy_poll(struct bill *b)
{
    struct child c;
    struct child_error error = {0};
    int status = start_sleep(&c, _("polling it in a loop"));
    if (status != 0)
        return status;
    double start = stopwatch_now(), cpu_start = stopwatch_thread_cpu(), next_report = start;
    int finished;
    *b = (struct bill){0};
    while ((finished = child_poll(&c, &error)) == 0) { /* not yet: ask again, at once */
        b->calls++;
        if (stopwatch_now() >= next_report) {
            printf(_("parent: working... (poll %ld)\n"), b->calls);
            next_report += REPORT_EVERY;
        }
    }
    b->calls++;
    b->wall = stopwatch_now() - start;
    b->cpu = stopwatch_thread_cpu() - cpu_start;
    if (finished < 0)
        return seed_fail(demo.name, &error);
    return finish(&c, b, _("busy poll:"));
}

/* The right way: block until the kernel says the child has exited. */
static int blocking_wait(struct bill *b)
{
    struct child c;
    struct child_error error = {0};
    int status = start_sleep(&c, _("blocking in child_wait"));
    if (status != 0)
        return status;
    double start = stopwatch_now(), cpu_start = stopwatch_thread_cpu();
    int err = child_wait(&c, -1.0, &error); /* no timeout: sleeps in poll() on the pidfd */
    *b =
        (struct bill){.calls = 1, .wall = stopwatch_now() - start, .cpu = stopwatch_thread_cpu() - cpu_start};
    if (err != 0)
        return seed_fail(demo.name, &error);
    return finish(&c, b, "child_wait:");
}

int main(int argc, char **argv)
{
    struct options opts;
    int done = options_parse(argc, argv, &demo, &opts);
    if (done != OPTIONS_RUN)
        return done;
    struct child_error error = {0};
    if (seed_find_program("sleep", sleep_path, sizeof sleep_path, &error) != 0)
        return seed_fail(demo.name, &error);
    struct bill polled, waited;
    int status = busy_poll(&polled);
    if (status == 0) {
        printf("\n");
        status = blocking_wait(&waited);
    }
    if (status != 0)
        return status;
    printf("\n");
    printf(_("Both waited %.1f s. The busy loop burned %.2f s of CPU; child_wait %.4f s.\n"), seconds,
           polled.cpu, waited.cpu);
    report_note(&demo);
    return 0;
}
