/* Every workload kind under every strategy, through the harness: the same
 * checksum everywhere, a span per task, and nothing left behind (no fd, no
 * child, no shared mapping). A new kind in workload_kinds[] or a new
 * strategy in strategy_all[] is tested here without a new test. */
#include "harness.h"
#include "strategy.h"
#include "workload.h"

#include <criterion/criterion.h>
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#define NTASKS 4

/* How many entries a directory of /proc/self has: its fds or mappings. */
static int count_entries(const char *path)
{
    DIR *dir = opendir(path);
    cr_assert_not_null(dir, "%s: %s", path, strerror(errno));
    int count = 0;
    while (readdir(dir) != NULL)
        count++;
    closedir(dir);
    return count;
}

/* How many shared memory mappings this process has: lines of
 * /proc/self/maps whose permissions end in 's' ("rw-s"). Private ones
 * come and go with threads' stacks and malloc's arenas; shared ones are
 * what a strategy or a kind maps for its children. */
static int shared_mapping_count(void)
{
    FILE *maps = fopen("/proc/self/maps", "r");
    cr_assert_not_null(maps);
    int shared = 0;
    char line[512], perms[8];
    while (fgets(line, sizeof line, maps) != NULL)
        if (sscanf(line, "%*s %7s", perms) == 1 && perms[3] == 's')
            shared++;
    fclose(maps);
    return shared;
}

/* Every strategy there is, in one plan. */
static struct harness_plan every_strategy(void)
{
    size_t count = 0;
    while (strategy_all[count] != NULL)
        count++;
    cr_assert_leq(count, HARNESS_MAX_STRATEGIES, "more strategies than a comparison holds");
    return (struct harness_plan){.strategies = strategy_all, .count = count, .ntasks = NTASKS, .runs = 1};
}

/* Measures `w` under every strategy and checks what any kind must give. */
static void check_under_every_strategy(struct workload *w)
{
    struct harness_plan plan = every_strategy();
    struct comparison c;
    const char *failed_call = "?";
    int fds = count_entries("/proc/self/fd"), maps = shared_mapping_count();
    int err = harness_compare(&plan, w, &c, &failed_call);
    cr_assert_eq(err, 0, "%s: %s: %s", w->kind->name, failed_call, strerror(-err));
    cr_expect_eq(count_entries("/proc/self/fd"), fds, "%s: an fd left open", w->kind->name);
    cr_expect_eq(shared_mapping_count(), maps, "%s: a shared mapping left behind", w->kind->name);
    errno = 0;
    cr_expect_eq(waitpid(-1, NULL, WNOHANG), -1, "%s: a child left to reap", w->kind->name);
    cr_assert_eq(c.count, plan.count);
    for (size_t i = 0; i < c.count; i++) {
        const struct measurement *m = &c.results[i];
        cr_expect(m->checksum_ok, "%s under %s: checksum %llx, sequential's %llx", w->kind->name,
                  m->strategy->name, (unsigned long long)m->checksum,
                  (unsigned long long)c.results[0].checksum);
        for (size_t t = 0; t < NTASKS; t++)
            cr_expect_leq(m->spans[t].start, m->spans[t].end, "%s under %s: task %zu ends before it starts",
                          w->kind->name, m->strategy->name, t);
    }
    harness_free(&c);
}

Test(workload, every_kind_under_every_strategy)
{
    for (const struct workload_kind *const *kind = workload_kinds; *kind != NULL; kind++) {
        struct workload w = {.kind = *kind, .seconds = 0.005};
        workload_calibrate(&w);
        check_under_every_strategy(&w);
    }
}

/* A kind made for this test: its tasks add 1 to a counter that setup maps
 * shared before the run, so forked children's additions count too; teardown
 * keeps what it saw and unmaps it. */
static int setups, teardowns;
static long counted_at_teardown;

static int setup_counter(struct workload *w, size_t ntasks, const char **failed_call)
{
    (void)ntasks;
    atomic_long *counter =
        mmap(NULL, sizeof *counter, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (counter == MAP_FAILED) {
        *failed_call = "mmap";
        return -errno;
    }
    atomic_init(counter, 0);
    w->shared = counter;
    setups++;
    return 0;
}

static void teardown_counter(struct workload *w)
{
    atomic_long *counter = w->shared;
    counted_at_teardown = atomic_load(counter);
    munmap(counter, sizeof *counter);
    teardowns++;
}

static uint64_t count_one(const struct workload *w, size_t task, const struct workload_hooks *hooks)
{
    (void)hooks;
    atomic_fetch_add((atomic_long *)w->shared, 1);
    return workload_token(task);
}

static void describe_counting(const struct workload *w, size_t ntasks, char *buf, size_t size)
{
    snprintf(buf, size, "%zu tasks, each counting once", ntasks);
    (void)w;
}

static const struct workload_kind counting = {
    .name = "counting",
    .computes = true,
    .describe = describe_counting,
    .run = count_one,
    .setup = setup_counter,
    .teardown = teardown_counter,
};

Test(workload, shared_state_is_made_before_each_run_and_released_after)
{
    struct workload w = {.kind = &counting};
    check_under_every_strategy(&w); /* also: no mapping left behind */
    cr_expect_gt(setups, 0);
    cr_expect_eq(setups, teardowns, "%d setups, %d teardowns", setups, teardowns);
    /* the last run's tasks, processes' children among them, all counted in it */
    cr_expect_eq(counted_at_teardown, NTASKS);
}

Test(workload, each_run_of_each_strategy_sees_every_task_in_the_shared_state)
{
    for (const struct strategy *const *s = strategy_all; *s != NULL; s++) {
        const struct strategy *one[] = {*s};
        struct harness_plan plan = {.strategies = one, .count = 1, .ntasks = NTASKS, .runs = 1};
        struct workload w = {.kind = &counting};
        struct comparison c;
        const char *failed_call = "?";
        cr_assert_eq(harness_compare(&plan, &w, &c, &failed_call), 0, "%s: %s", (*s)->name, failed_call);
        cr_expect_eq(counted_at_teardown, NTASKS, "%s: %ld of %d tasks counted", (*s)->name,
                     counted_at_teardown, NTASKS);
        harness_free(&c);
    }
}

/* A counting kind whose task 1 kills itself when it runs in a forked child:
 * the processes strategy fails, and the shared counter must be released all
 * the same. */
static pid_t parent;

static uint64_t count_or_die(const struct workload *w, size_t task, const struct workload_hooks *hooks)
{
    if (task == 1 && getpid() != parent)
        raise(SIGKILL); /* a child that dies mid-run, as the OOM killer would do it */
    return count_one(w, task, hooks);
}

static const struct workload_kind dying = {
    .name = "dying",
    .computes = true,
    .describe = describe_counting,
    .run = count_or_die,
    .setup = setup_counter,
    .teardown = teardown_counter,
};

Test(workload, shared_state_is_released_when_a_child_dies)
{
    parent = getpid();
    const struct strategy *processes[] = {&strategy_processes};
    struct harness_plan plan = {.strategies = processes, .count = 1, .ntasks = NTASKS, .runs = 1};
    struct workload w = {.kind = &dying};
    struct comparison c;
    const char *failed_call = "?";
    int maps = shared_mapping_count(), before = teardowns;
    int err = harness_compare(&plan, &w, &c, &failed_call);
    cr_assert_eq(err, -STRATEGY_SAID_IN_FULL, "%d: %s", err, failed_call);
    cr_expect_not_null(strstr(failed_call, "killed by SIGKILL"), "%s", failed_call);
    cr_expect_eq(teardowns, before + 1, "torn down after the failed run");
    cr_expect_eq(shared_mapping_count(), maps, "the counter's mapping was released");
    errno = 0;
    cr_expect_eq(waitpid(-1, NULL, WNOHANG), -1, "a child left to reap");
}
