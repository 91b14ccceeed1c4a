#include "counter.h"

#include "i18n.h"
#include "stopwatch.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#define FALLBACK_LINE 64 /* bytes: most CPUs' cache line */

/* What the tasks of one run share. The per-task slots follow it, each
 * `line` bytes from the next: a cache line, so that no two tasks' slots
 * share one, or 8 bytes for adjacent, so that they do. */
struct counter_state {
    atomic_ullong count;  /* the one counter (all but per_task) */
    pthread_mutex_t lock; /* mutex: held around load, add, store */
    size_t line;          /* bytes from one slot to the next: a cache line, or 8 (adjacent) */
    size_t bytes;         /* the whole mapping, for munmap */
    unsigned char *slots; /* per_task: ntasks slots, right after this struct */
};

size_t counter_line_size(void)
{
    long line = sysconf(_SC_LEVEL1_DCACHE_LINESIZE); /* 0 or -1 where glibc cannot tell */
    if (line <= 0) {
        FILE *f = fopen("/sys/devices/system/cpu/cpu0/cache/index0/coherency_line_size", "r");
        if (f != NULL) {
            if (fscanf(f, "%ld", &line) != 1)
                line = 0;
            fclose(f);
        }
    }
    return line > 0 && line <= 4096 ? (size_t)line : FALLBACK_LINE;
}

static atomic_ullong *slot(const struct counter_state *s, size_t task)
{
    return (atomic_ullong *)(void *)(s->slots + task * s->line);
}

/* Maps the state for `ntasks` tasks: shared with forked children, or
 * private to this process (private: each child gets a copy of its own).
 * The slots are `apart` bytes from each other: a cache line, or adjacent. */
static int map_state(struct workload *w, size_t ntasks, bool shared, size_t apart, const char **failed_call)
{
    size_t line = counter_line_size();
    size_t head = (sizeof(struct counter_state) + line - 1) / line * line; /* slots start on a line */
    size_t bytes = head + (ntasks > 0 ? ntasks : 1) * apart;
    int flags = (shared ? MAP_SHARED : MAP_PRIVATE) | MAP_ANONYMOUS;
    struct counter_state *s = mmap(NULL, bytes, PROT_READ | PROT_WRITE, flags, -1, 0);
    if (s == MAP_FAILED) {
        *failed_call = "mmap";
        return -errno;
    }
    atomic_init(&s->count, 0); /* the slots are 0 already: fresh anonymous memory */
    s->line = apart;
    s->bytes = bytes;
    s->slots = (unsigned char *)s + head;
    pthread_mutexattr_t attr;
    int err = pthread_mutexattr_init(&attr);
    if (err == 0) {
        err = pthread_mutexattr_setpshared(&attr, PTHREAD_PROCESS_SHARED); /* forked children lock it too */
        if (err == 0) /* a child killed while holding it must not leave the others waiting forever */
            err = pthread_mutexattr_setrobust(&attr, PTHREAD_MUTEX_ROBUST);
        if (err == 0)
            err = pthread_mutex_init(&s->lock, &attr);
        pthread_mutexattr_destroy(&attr);
    }
    if (err != 0) { /* pthread_* return the error instead of setting errno */
        *failed_call = "pthread_mutex_init";
        munmap(s, bytes);
        return -err;
    }
    w->shared = s;
    return 0;
}

static int setup_shared(struct workload *w, size_t ntasks, const char **failed_call)
{
    return map_state(w, ntasks, true, counter_line_size(), failed_call);
}

static int setup_private(struct workload *w, size_t ntasks, const char **failed_call)
{
    return map_state(w, ntasks, false, counter_line_size(), failed_call);
}

/* The slots side by side, 8 bytes each: eight tasks' counters share one
 * 64-byte cache line (false sharing). */
static int setup_adjacent(struct workload *w, size_t ntasks, const char **failed_call)
{
    return map_state(w, ntasks, true, sizeof(atomic_ullong), failed_call);
}

static void teardown(struct workload *w)
{
    struct counter_state *s = w->shared;
    if (s == NULL)
        return;
    pthread_mutex_destroy(&s->lock);
    munmap(s, s->bytes);
}

/* ---- one task: add 1, w->units times ---------------------------------- */

static uint64_t add_unsynchronized(const struct workload *w, size_t task, const struct workload_hooks *hooks)
{
    struct counter_state *s = w->shared;
    (void)hooks;
    for (uint64_t i = 0; i < w->units; i++) {
        /* counter++ as the CPU does it: load, add, store. Written with
         * relaxed atomic loads and stores, not a plain `counter++`: a plain
         * one from two threads is undefined behaviour in C11, and the
         * compiler could keep the counter in a register and store once. These
         * keep the three steps, and what they can lose, in the machine code. */
        unsigned long long value = atomic_load_explicit(&s->count, memory_order_relaxed);
        atomic_store_explicit(&s->count, value + 1, memory_order_relaxed);
    }
    return workload_token(task);
}

static uint64_t add_under_mutex(const struct workload *w, size_t task, const struct workload_hooks *hooks)
{
    struct counter_state *s = w->shared;
    (void)hooks;
    for (uint64_t i = 0; i < w->units; i++) {
        if (pthread_mutex_lock(&s->lock) == EOWNERDEAD) /* only one task at a time past here */
            pthread_mutex_consistent(&s->lock);         /* its holder died holding it: carry on */
        unsigned long long value = atomic_load_explicit(&s->count, memory_order_relaxed);
        atomic_store_explicit(&s->count, value + 1, memory_order_relaxed);
        pthread_mutex_unlock(&s->lock);
    }
    return workload_token(task);
}

static uint64_t add_atomically(const struct workload *w, size_t task, const struct workload_hooks *hooks)
{
    struct counter_state *s = w->shared;
    (void)hooks;
    for (uint64_t i = 0; i < w->units; i++)
        atomic_fetch_add_explicit(&s->count, 1, memory_order_relaxed); /* one indivisible step */
    return workload_token(task);
}

static uint64_t add_to_own_slot(const struct workload *w, size_t task, const struct workload_hooks *hooks)
{
    atomic_ullong *mine = slot(w->shared, task);
    (void)hooks;
    /* No other task writes here: no race, no waiting. A load and a store
     * would do (perfbook's counter does that), but the same atomic add as
     * add_atomically keeps one difference between the rows: where the
     * counter lies (one for all, one each, or one each in a shared cache
     * line). A load-store pair also timed erratically on our VM: the same
     * work took 0.05 to 0.14 s from run to run, an atomic add 0.254-0.257. */
    for (uint64_t i = 0; i < w->units; i++)
        atomic_fetch_add_explicit(mine, 1, memory_order_relaxed);
    return workload_token(task);
}

/* ---- the run's count ---------------------------------------------------- */

static uint64_t the_count(const struct workload *w, size_t ntasks)
{
    struct counter_state *s = w->shared;
    (void)ntasks;
    return atomic_load(&s->count);
}

static uint64_t sum_of_slots(const struct workload *w, size_t ntasks)
{
    uint64_t sum = 0;
    for (size_t t = 0; t < ntasks; t++)
        sum += atomic_load(slot(w->shared, t));
    return sum;
}

static uint64_t every_addition(const struct workload *w, size_t ntasks)
{
    return (uint64_t)ntasks * w->units;
}

/* ---- calibration: units so that one task alone takes w->seconds ------- */

static void calibrate(struct workload *w)
{
    const char *failed_call = "";
    struct workload trial = *w;
    if (workload_setup(&trial, 1, &failed_call) != 0) {
        w->units = 1000; /* no memory to time it in: a small count still shows the lesson */
        return;
    }
    trial.units = 1u << 16;
    double best = 0.0;
    for (int attempt = 0; attempt < 5; attempt++) { /* the fastest of a few: a trial can only be slowed */
        double before = stopwatch_thread_cpu();
        workload_run_task(&trial, 0);
        double used = stopwatch_thread_cpu() - before;
        if (used < 0.002 && trial.units < (UINT64_C(1) << 32)) { /* too short to time well: longer */
            trial.units *= 4;
            attempt--;
            continue;
        }
        best = attempt == 0 || used < best ? used : best;
    }
    workload_teardown(&trial);
    double scaled = best > 0.0 ? (double)trial.units * (w->seconds / best) : 1000.0;
    w->units = scaled < 1.0 ? 1 : (uint64_t)llround(scaled);
}

/* ---- what the tasks do, for a table's title ------------------------------ */

static void describe_shared(const struct workload *w, size_t ntasks, char *buf, size_t size)
{
    snprintf(buf, size,
             ngettext("%zu task, adding 1 to one counter %" PRIu64 " times",
                      "%zu tasks, each adding 1 to one counter %" PRIu64 " times", ntasks),
             ntasks, w->units);
}

static void describe_own(const struct workload *w, size_t ntasks, char *buf, size_t size)
{
    snprintf(buf, size,
             ngettext("%zu task, adding 1 to its own counter %" PRIu64 " times",
                      "%zu tasks, each adding 1 to its own counter %" PRIu64 " times", ntasks),
             ntasks, w->units);
}

/* ---- the kinds ---------------------------------------------------------- */

const struct workload_kind counter_unsynchronized = {
    .name = "unsynchronized",
    .computes = true,
    .tasks_contend = true,
    .describe = describe_shared,
    .run = add_unsynchronized,
    .calibrate = calibrate,
    .setup = setup_shared,
    .teardown = teardown,
    .result = the_count,
    .expected = every_addition,
};

const struct workload_kind counter_mutex = {
    .name = "mutex",
    .computes = true,
    .tasks_contend = true,
    .describe = describe_shared,
    .run = add_under_mutex,
    .calibrate = calibrate,
    .setup = setup_shared,
    .teardown = teardown,
    .result = the_count,
    .expected = every_addition,
};

const struct workload_kind counter_atomic = {
    .name = "atomic",
    .computes = true,
    .tasks_contend = true,
    .describe = describe_shared,
    .run = add_atomically,
    .calibrate = calibrate,
    .setup = setup_shared,
    .teardown = teardown,
    .result = the_count,
    .expected = every_addition,
};

const struct workload_kind counter_per_task = {
    .name = "per-task",
    .computes = true,
    .describe = describe_own,
    .run = add_to_own_slot,
    .calibrate = calibrate,
    .setup = setup_shared,
    .teardown = teardown,
    .result = sum_of_slots,
    .expected = every_addition,
};

const struct workload_kind counter_private = {
    .name = "private",
    .computes = true,
    .tasks_contend = true,
    .describe = describe_shared,
    .run = add_atomically,
    .calibrate = calibrate,
    .setup = setup_private,
    .teardown = teardown,
    .result = the_count,
    .expected = every_addition,
};

const struct workload_kind counter_adjacent = {
    .name = "adjacent",
    .computes = true,
    .tasks_contend = true,
    .describe = describe_own,
    .run = add_to_own_slot,
    .calibrate = calibrate,
    .setup = setup_adjacent,
    .teardown = teardown,
    .result = sum_of_slots,
    .expected = every_addition,
};
