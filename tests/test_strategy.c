/* Strategies: each runs the same tasks, records a span per task, computes
 * the same checksum as sequential, and leaves no child, thread or fd behind. */
#include "harness.h"
#include "strategy.h"

#include <criterion/criterion.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

/* Runs given no settings: every strategy's defaults. */
static const struct strategy_context no_settings = {0};

#define NTASKS 8

static const struct strategy *const all_three[] = {&strategy_sequential, &strategy_threads,
                                                   &strategy_processes};

/* How many fds this process has open (entries of /proc/self/fd). */
static int open_fd_count(void)
{
    DIR *dir = opendir("/proc/self/fd");
    cr_assert_not_null(dir);
    int count = 0;
    while (readdir(dir) != NULL)
        count++;
    closedir(dir);
    return count;
}

static void assert_no_child_left(void)
{
    errno = 0;
    cr_assert_eq(waitpid(-1, NULL, WNOHANG), -1, "a child was left to reap");
    cr_assert_eq(errno, ECHILD);
}

/* Runs NTASKS cpu tasks under `s`; returns the combined checksum. */
static uint64_t run_tiny_tasks(const struct strategy *s)
{
    struct workload w = {.kind = &workload_cpu, .seconds = 0.0, .units = 1000};
    struct task_record records[NTASKS] = {0};
    const char *failed_call = NULL;
    int fds_before = open_fd_count();
    cr_assert_eq(s->run(&no_settings, &w, NTASKS, records, &failed_call), 0, "%s failed in %s", s->name,
                 failed_call);
    cr_assert_eq(open_fd_count(), fds_before, "%s leaked an fd", s->name);
    assert_no_child_left();
    uint64_t combined = 0;
    for (size_t i = 0; i < NTASKS; i++) {
        cr_assert_gt(records[i].span.start, 0.0, "%s: task %zu has no span", s->name, i);
        cr_assert_leq(records[i].span.start, records[i].span.end, "%s: task %zu ends before it starts",
                      s->name, i);
        combined = workload_combine(combined, records[i].checksum);
    }
    return combined;
}

Test(strategy, every_strategy_computes_what_sequential_computes)
{
    uint64_t expected = run_tiny_tasks(&strategy_sequential);
    cr_assert_eq(run_tiny_tasks(&strategy_threads), expected);
    cr_assert_eq(run_tiny_tasks(&strategy_processes), expected);
}

Test(strategy, each_task_gets_its_own_checksum)
{
    /* A strategy that ran task 0 eight times would match nothing. */
    struct workload w = {.kind = &workload_cpu, .units = 1000};
    struct task_record records[NTASKS] = {0};
    const char *failed_call = NULL;
    cr_assert_eq(strategy_processes.run(&no_settings, &w, NTASKS, records, &failed_call), 0);
    for (size_t i = 0; i < NTASKS; i++)
        cr_assert_eq(records[i].checksum, workload_run_task(&w, i), "task %zu", i);
}

Test(strategy, find_by_name)
{
    cr_assert_eq(strategy_find("threads"), &strategy_threads);
    cr_assert_eq(strategy_find("processes"), &strategy_processes);
    cr_assert_null(strategy_find("thread"));
}

/* Measures NTASKS sleeps of 0.2 s under one strategy, once, no warm-up. */
static double wall_of_sleeps(const struct strategy *s)
{
    struct workload w = {.kind = &workload_sleep, .seconds = 0.2};
    const struct strategy *list[] = {s};
    struct harness_plan plan = {.strategies = list, .count = 1, .ntasks = NTASKS, .runs = 1};
    struct comparison c;
    const char *failed_call = NULL;
    cr_assert_eq(harness_compare(&plan, &w, &c, &failed_call), 0, "failed in %s", failed_call);
    double wall = c.results[0].wall;
    for (size_t i = 0; i < NTASKS; i++) /* the sleep is not cut short */
        cr_assert_geq(c.results[0].spans[i].end - c.results[0].spans[i].start, 0.2);
    harness_free(&c);
    return wall;
}

/* A wide bound on purpose: one sleep is 0.2 s, eight in a row 1.6 s; under
 * 1.2 s some of them overlapped, even on a loaded machine under valgrind
 * (where forking eight children took the processes 0.6 s and more). */
Test(strategy, threads_overlap_eight_sleeps, .timeout = 10)
{
    cr_assert_lt(wall_of_sleeps(&strategy_threads), 1.2);
}

Test(strategy, processes_overlap_eight_sleeps, .timeout = 10)
{
    cr_assert_lt(wall_of_sleeps(&strategy_processes), 1.2);
    assert_no_child_left();
}

Test(harness, compares_three_strategies_and_keeps_the_median_run)
{
    struct workload w = {.kind = &workload_cpu, .units = 20000};
    struct harness_plan plan = {.strategies = all_three, .count = 3, .ntasks = 4, .warmup = 1, .runs = 3};
    struct comparison c;
    const char *failed_call = NULL;
    cr_assert_eq(harness_compare(&plan, &w, &c, &failed_call), 0);
    cr_assert_eq(c.count, 3);
    cr_assert_eq(c.runs, 3);
    cr_assert(harness_checksums_ok(&c));
    for (size_t i = 0; i < c.count; i++) {
        const struct measurement *m = &c.results[i];
        cr_assert_geq(m->runs, 3, "the runs asked for, and up to 3x with runs set aside");
        cr_assert_leq(m->runs, 9);
        cr_assert_leq(m->wall_min, m->wall);
        cr_assert_leq(m->wall, m->wall_max);
        for (size_t t = 0; t < c.ntasks; t++) { /* spans start from the run's own start */
            cr_assert_geq(m->spans[t].start, 0.0);
            cr_assert_leq(m->spans[t].end, m->wall_max + 1e-6);
        }
    }
    cr_assert_eq(harness_find(&c, "threads"), &c.results[1]);
    cr_assert_float_eq(harness_speedup(&c, &c.results[0]), 1.0, 1e-12);
    harness_free(&c);
}

Test(harness, pinned_to_cpu_0_reports_cpu_0)
{
    struct cpu_list only_0 = {.count = 1, .ids = {0}};
    cr_assert_eq(machine_pin(&only_0), 0);
    struct workload w = {.kind = &workload_cpu, .units = 1000};
    struct harness_plan plan = {.strategies = all_three, .count = 3, .ntasks = 2, .runs = 1};
    struct comparison c;
    const char *failed_call = NULL;
    cr_assert_eq(harness_compare(&plan, &w, &c, &failed_call), 0);
    cr_assert_eq(c.cpus.count, 1);
    cr_assert_eq(c.cpus.ids[0], 0);
    harness_free(&c);
}

/* Threads of process `pid`, from /proc/PID/status; -1 once it is gone. */
static int thread_count(pid_t pid)
{
    char path[64], line[128];
    snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
    FILE *f = fopen(path, "r");
    int threads = -1;
    while (f != NULL && fgets(line, sizeof line, f) != NULL)
        if (sscanf(line, "Threads: %d", &threads) == 1)
            break;
    if (f != NULL)
        fclose(f);
    return threads;
}

/* 1,000 sleeps of 0.2 s in one thread: watched from outside while it runs. */
Test(strategy, event_loop_overlaps_a_thousand_sleeps_in_one_thread, .timeout = 20)
{
    enum { TASKS = 1000 };
    int result[2];
    cr_assert_eq(pipe(result), 0);
    pid_t pid = fork();
    if (pid == 0) { /* the child runs the event loop and reports wall time and overlap */
        struct workload w = {.kind = &workload_sleep, .seconds = 0.2};
        static struct task_record records[TASKS];
        const char *failed_call = NULL;
        double start = stopwatch_now();
        int err = strategy_event_loop.run(&no_settings, &w, TASKS, records, &failed_call);
        double report[2] = {stopwatch_now() - start, 1.0};
        double latest_start = 0.0, earliest_end = 1e300;
        for (int i = 0; i < TASKS; i++) {
            latest_start = records[i].span.start > latest_start ? records[i].span.start : latest_start;
            earliest_end = records[i].span.end < earliest_end ? records[i].span.end : earliest_end;
        }
        report[1] = err == 0 && latest_start < earliest_end ? 1.0 : 0.0; /* every span overlaps every other */
        _exit(write(result[1], report, sizeof report) == sizeof report ? 0 : 1);
    }
    close(result[1]);
    int most_threads = 0, threads;
    while ((threads = thread_count(pid)) > 0) { /* sample until it exits */
        if (threads > most_threads)
            most_threads = threads;
        if (waitpid(pid, NULL, WNOHANG) == pid)
            break;
        usleep(5000);
    }
    double report[2] = {0};
    cr_assert_eq(read(result[0], report, sizeof report), (ssize_t)sizeof report);
    close(result[0]);
    waitpid(pid, NULL, 0);
    cr_assert_eq(most_threads, 1, "the event loop ran %d threads", most_threads);
    cr_assert_lt(report[0], 0.8, "1,000 sleeps of 0.2 s took %.3f s", report[0]);
    cr_assert_eq(report[1], 1.0, "not every span overlapped the others");
}

Test(strategy, event_loop_computes_what_sequential_computes)
{
    cr_assert_eq(run_tiny_tasks(&strategy_event_loop), run_tiny_tasks(&strategy_sequential));
}

/* Per-task CPU: on one CPU, two computing threads take turns, so each is
 * open about twice as long as it runs; sequential tasks run all the time
 * they are open; sleeping tasks hardly run at all. Wide bounds on purpose. */
static double cpu_share(const struct strategy *s, const struct workload *w, size_t task)
{
    struct task_record records[2];
    const char *failed_call = NULL;
    cr_assert_eq(s->run(&no_settings, w, 2, records, &failed_call), 0);
    const struct span *span = &records[task].span;
    cr_assert_leq(span->cpu, span->end - span->start + 0.005, "%s: more CPU than time open", s->name);
    return span->cpu / (span->end - span->start);
}

Test(strategy, per_task_cpu_shows_taking_turns_on_one_cpu, .timeout = 30)
{
    struct cpu_list only_0 = {.count = 1, .ids = {0}};
    cr_assert_eq(machine_pin(&only_0), 0);
    struct workload computing = {.kind = &workload_cpu, .seconds = 0.2};
    workload_calibrate(&computing);
    /* Relative, not absolute: other programs on CPU 0 lower every share alike,
     * but two tasks taking turns run about half as much of their time. */
    double sequential = cpu_share(&strategy_sequential, &computing, 1);
    /* With k other programs on CPU 0, one task gets 1/(k+1) of it and two
     * get 1/(k+2) each: the more programs, the less halving shows. */
    if (sequential < 0.8)
        cr_skip_test("CPU 0 is busy (one task ran %.0f%% of its time): taking turns cannot be seen",
                     100 * sequential);
    double threads = cpu_share(&strategy_threads, &computing, 0);
    double processes = cpu_share(&strategy_processes, &computing, 0);
    cr_assert_lt(threads, 0.75 * sequential, "threads on one CPU take turns: %.2f vs %.2f", threads,
                 sequential);
    cr_assert_lt(processes, 0.75 * sequential, "processes take turns: %.2f vs %.2f", processes, sequential);
    struct workload sleeping = {.kind = &workload_sleep, .seconds = 0.05};
    cr_assert_lt(cpu_share(&strategy_threads, &sleeping, 0), 0.2, "a sleeping task hardly runs");
}

#ifdef ATONCE_HAVE_OPENMP
/* The openmp strategy, for every team size from 1 to 8: the same checksum
 * as sequential, and every task run once (each with its own checksum). */
Test(strategy, openmp_computes_what_sequential_computes_for_1_to_8_tasks)
{
    struct workload w = {.kind = &workload_cpu, .units = 1000};
    for (size_t n = 1; n <= 8; n++) {
        struct task_record sequential[8] = {0}, openmp[8] = {0};
        const char *failed_call = NULL;
        cr_assert_eq(strategy_sequential.run(&no_settings, &w, n, sequential, &failed_call), 0);
        cr_assert_eq(strategy_openmp.run(&no_settings, &w, n, openmp, &failed_call), 0);
        uint64_t expected = 0, got = 0;
        for (size_t i = 0; i < n; i++) {
            cr_assert_eq(openmp[i].checksum, sequential[i].checksum, "%zu tasks: task %zu", n, i);
            cr_assert_gt(openmp[i].span.start, 0.0, "%zu tasks: task %zu did not run", n, i);
            expected = workload_combine(expected, sequential[i].checksum);
            got = workload_combine(got, openmp[i].checksum);
        }
        cr_assert_eq(got, expected, "%zu tasks", n);
    }
    cr_assert_eq(strategy_find("openmp"), &strategy_openmp);
}

/* 64 sleeps: more tasks than any likely CPU count. With num_threads(ntasks)
 * each runs in a thread of its own (64 thread ids), so all can sleep at
 * once; a team of one thread per CPU would reuse threads. Counting threads, not
 * timing them, holds on any machine and under valgrind. */
Test(strategy, openmp_gives_each_of_sixty_four_sleeps_its_own_thread, .timeout = 30)
{
    struct workload w = {.kind = &workload_sleep, .seconds = 0.05};
    struct task_record records[64] = {0};
    const char *failed_call = NULL;
    cr_assert_eq(strategy_openmp.run(&no_settings, &w, 64, records, &failed_call), 0);
    size_t distinct = 0;
    for (size_t i = 0; i < 64; i++) {
        bool seen = false;
        for (size_t j = 0; j < i; j++)
            seen |= records[j].span.tid == records[i].span.tid;
        distinct += !seen;
    }
    cr_assert_eq(distinct, 64, "64 sleeps ran in %zu threads", distinct);
}

Test(strategy, openmp_refuses_more_threads_than_it_can_promise)
{
    struct workload w = {.kind = &workload_cpu, .units = 1};
    static struct task_record records[1001];
    const char *failed_call = NULL;
    cr_assert_eq(strategy_openmp.run(&no_settings, &w, 1001, records, &failed_call), -EAGAIN);
    cr_assert_not_null(failed_call);
}
#endif

/* A failed run in words: the call and its errno text, or, when no errno
 * says what happened (a child killed by a signal), the reason alone. */
Test(strategy, a_failure_is_put_into_words_once)
{
    char text[128];
    strategy_failure_format("fork", -EAGAIN, text, sizeof text);
    cr_assert_str_eq(text, "fork: Resource temporarily unavailable");
    strategy_failure_format("child 3 (pid 4121): killed by SIGKILL", -STRATEGY_SAID_IN_FULL, text,
                            sizeof text);
    cr_assert_str_eq(text, "child 3 (pid 4121): killed by SIGKILL");
}
