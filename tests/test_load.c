/* Load: with CPU hogs on every CPU (started and stopped here, bounded in
 * time), cpu still finishes, its checksums still match, and its report
 * warns that the machine is busy; timeout still shows its lesson. CPU and
 * TIMEOUT are the demos' paths, from meson.
 * (load_flags.py checks the --json flags of every row under the same load.) */
#include "child.h"

#include <criterion/criterion.h>
#include <string.h>
#include <unistd.h>

#define MAX_HOGS 64

/* Two hogs per CPU. One per CPU is not enough: with 3 busy tasks on 2 CPUs the
 * scheduler may put both hogs on one CPU and leave the demo a CPU of its own (moving
 * a hog would only swap which CPU has two), and the demo then sees no load at all.
 * With 2 per CPU, 5 tasks on 2 CPUs, every CPU the demo can land on has a hog.
 * Returns how many were started into hogs[]. */
static size_t start_hogs(struct child hogs[MAX_HOGS])
{
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    size_t count = cpus < 2 ? 4 : 2 * cpus > MAX_HOGS ? MAX_HOGS : 2 * (size_t)cpus;
    const char *const yes[] = {"yes", NULL}; /* writes "y" to /dev/null as fast as it can */
    struct child_options quiet = {.in.mode = CHILD_DEVNULL, .out.mode = CHILD_DEVNULL};
    struct child_error e = {0};
    for (size_t i = 0; i < count; i++)
        cr_assert_eq(child_spawn(&hogs[i], yes, &quiet, &e), 0, "spawn yes: %s", strerror(e.error));
    return count;
}

static void stop_hogs(struct child hogs[MAX_HOGS], size_t count)
{
    for (size_t i = 0; i < count; i++) {
        child_stop(&hogs[i], 0.0, NULL);
        child_close(&hogs[i]);
    }
}

Test(load, a_busy_machine_is_reported_and_the_checksums_still_match, .timeout = 120)
{
    struct child hogs[MAX_HOGS];
    size_t count = start_hogs(hogs);
    const char *const argv[] = {CPU, "--quick", "--no-color", NULL};
    struct child_run_options options = {.capture = true, .timeout = 60.0};
    struct child_result r;
    struct child_error e = {0};
    int err = child_run(argv, &options, &r, &e);
    stop_hogs(hogs, count); /* the hogs go, whatever happened */
    cr_assert_eq(err, 0, "cpu under load: %s\n%s", strerror(-err), r.err.data);
    cr_expect_not_null(strstr(r.out.data, "in every run of every strategy: all did the same work"), "%s",
                       r.out.data);
    cr_expect_null(strstr(r.out.data, "MISMATCH"), "%s", r.out.data);
    /* measured from /proc/stat, or seen in sequential's own CPU use */
    cr_expect(strstr(r.out.data, "warning: other programs took") != NULL ||
                  strstr(r.out.data, "warning: sequential computed on only") != NULL,
              "no busy-machine warning:\n%s", r.out.data);
    child_result_free(&r);
}

/* timeout's lesson does not hang on a deadline: forker may start late on a
 * busy machine, and the demo waits for its line (it failed 2 runs in 15
 * when it did not). Five runs under two hogs per CPU. */
Test(load, timeout_shows_its_lesson_on_a_busy_machine, .timeout = 120)
{
    struct child hogs[MAX_HOGS];
    size_t count = start_hogs(hogs);
    for (int run = 0; run < 5; run++) {
        const char *const argv[] = {TIMEOUT, NULL};
        struct child_run_options options = {.capture = true, .timeout = 60.0};
        struct child_result r;
        struct child_error e = {0};
        int err = child_run(argv, &options, &r, &e);
        cr_expect_eq(err, 0, "timeout under load: %s", strerror(-err));
        cr_expect_eq(r.returncode, 0, "run %d: exit %d: %s", run, r.returncode, r.err.data);
        cr_expect_eq(r.err.len, 0, "run %d: %s", run, r.err.data);
        cr_expect_not_null(strstr(r.out.data, "is still running"), "run %d: the naive part:\n%s", run,
                           r.out.data);
        cr_expect_not_null(strstr(r.out.data, "forker's child sleep"), "run %d: the fixed part:\n%s", run,
                           r.out.data);
        child_result_free(&r);
    }
    stop_hogs(hogs, count);
}
