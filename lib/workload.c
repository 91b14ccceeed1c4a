#include "workload.h"

#include "counter.h"
#include "i18n.h"
#include "stopwatch.h"

#include <assert.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <time.h>

#define CALIBRATION_TRIAL  0.01 /* seconds of CPU a calibration trial takes at least */
#define CALIBRATION_TRIALS 5    /* trials of that size; the fastest counts */

/* splitmix64: turns a task number into a well-mixed 64-bit value. */
static uint64_t mix(uint64_t x)
{
    x += 0x9e3779b97f4a7c15u;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9u;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebu;
    return x ^ (x >> 31);
}

static void sleep_until(double deadline)
{
    struct timespec ts;
    ts.tv_sec = (time_t)deadline;
    ts.tv_nsec = (long)((deadline - (double)ts.tv_sec) * 1e9);
    if (ts.tv_nsec >= 1000000000L) { /* rounding can reach one whole second */
        ts.tv_sec += 1;
        ts.tv_nsec -= 1000000000L;
    }
    /* An absolute deadline: after a signal we go back to sleep until the
     * same moment, so interruptions neither shorten nor stretch the task. */
    while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR)
        continue;
}

/* The state of one computation, so that it can stop and go on in chunks. */
struct xorshift {
    uint64_t x, sum;
};

static struct xorshift xorshift_start(uint64_t seed)
{
    return (struct xorshift){.x = mix(seed) | 1u, .sum = 0}; /* xorshift must not start at 0 */
}

/* Never inlined: the task and the calibration must run the very same
 * machine code. Two inlined copies land at different alignments and ran
 * 2.5-3 % apart, so the calibrated tasks missed their --seconds. */
#if defined(__GNUC__)
#define NOINLINE __attribute__((noinline))
#else
#define NOINLINE
#endif

/* xorshift64*: each round depends on the one before, so the compiler can
 * neither skip rounds nor compute them all at once. */
static NOINLINE void xorshift_rounds(struct xorshift *s, uint64_t units)
{
    uint64_t x = s->x, sum = s->sum;
    for (uint64_t i = 0; i < units; i++) {
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        sum += x * 0x2545f4914f6cdd1du;
    }
    s->x = x;
    s->sum = sum;
}

static uint64_t compute(uint64_t seed, uint64_t units)
{
    struct xorshift s = xorshift_start(seed);
    xorshift_rounds(&s, units);
    return s.sum;
}

uint64_t workload_token(size_t task)
{
    return mix(task);
}

/* A sleep task: wait to a deadline, letting go of any lock around it. */
static uint64_t run_sleep(const struct workload *w, size_t task, const struct workload_hooks *h)
{
    double deadline = stopwatch_now() + w->seconds;
    if (h->before_wait != NULL)
        h->before_wait(h->context);
    sleep_until(deadline);
    if (h->after_wait != NULL)
        h->after_wait(h->context);
    return workload_token(task);
}

/* A cpu task: w->units rounds, in chunks when a lock wants offering up. */
static uint64_t run_cpu(const struct workload *w, size_t task, const struct workload_hooks *h)
{
    if (h->between_chunks == NULL)
        return compute(task, w->units);
    struct xorshift s = xorshift_start(task);
    for (uint64_t done = 0; done < w->units; done += WORKLOAD_CHUNK) {
        uint64_t left = w->units - done;
        xorshift_rounds(&s, left < WORKLOAD_CHUNK ? left : WORKLOAD_CHUNK);
        if (left > WORKLOAD_CHUNK) /* between chunks only: a finished task has nothing to hand over */
            h->between_chunks(h->context);
    }
    return s.sum;
}

uint64_t workload_run_task(const struct workload *w, size_t task)
{
    return workload_run_task_hooked(w, task, NULL);
}

uint64_t workload_run_task_hooked(const struct workload *w, size_t task, const struct workload_hooks *hooks)
{
    static const struct workload_hooks none = {0};
    return w->kind->run(w, task, hooks != NULL ? hooks : &none);
}

bool workload_computes(const struct workload *w)
{
    assert(w->kind != NULL); /* every workload has a kind: {.kind = &workload_cpu, ...} */
    return w->kind->computes;
}

/* CPU seconds that `units` rounds take in the calling thread. */
static double time_rounds(uint64_t units)
{
    double before = stopwatch_thread_cpu();
    volatile uint64_t sink = compute(0, units);
    (void)sink;
    return stopwatch_thread_cpu() - before;
}

static void calibrate_cpu(struct workload *w)
{
    /* Grow a trial run until it is long enough to time well (10 ms), then
     * time it a few more times and keep the fastest: a trial can only be
     * slowed (an interrupt, another program on our CPU), never sped up.
     * CPU time, not wall time, so that waiting for our turn on the CPU
     * does not count. */
    uint64_t units = 1u << 16;
    double best = time_rounds(units);
    while (best < CALIBRATION_TRIAL && units < (UINT64_C(1) << 40)) {
        units *= 2;
        best = time_rounds(units);
    }
    for (int trial = 1; trial < CALIBRATION_TRIALS; trial++) {
        double used = time_rounds(units);
        best = used < best ? used : best;
    }
    if (best <= 0.0) /* a CPU clock that did not move: nothing to scale by */
        best = 1e-9;
    double scaled = (double)units * (w->seconds / best);
    w->units = scaled < 1.0 ? 1 : (uint64_t)llround(scaled);
}

uint64_t workload_combine(uint64_t combined, uint64_t task_checksum)
{
    return combined + task_checksum;
}

void workload_calibrate(struct workload *w)
{
    if (w->kind->calibrate != NULL)
        w->kind->calibrate(w);
}

int workload_setup(struct workload *w, size_t ntasks, const char **failed_call)
{
    w->shared = NULL;
    return w->kind->setup != NULL ? w->kind->setup(w, ntasks, failed_call) : 0;
}

void workload_teardown(struct workload *w)
{
    if (w->kind->teardown != NULL)
        w->kind->teardown(w);
    w->shared = NULL;
}

static void describe_sleep(const struct workload *w, size_t ntasks, char *buf, size_t size)
{
    snprintf(buf, size, ngettext("%zu task, each sleeps %g s", "%zu tasks, each sleeps %g s", ntasks), ntasks,
             w->seconds);
}

static void describe_cpu(const struct workload *w, size_t ntasks, char *buf, size_t size)
{
    snprintf(buf, size,
             ngettext("%zu task, each computes %g s of CPU", "%zu tasks, each computes %g s of CPU", ntasks),
             ntasks, w->seconds);
}

/* ---- the kinds ------------------------------------------------------- */

const struct workload_kind workload_sleep = {
    .name = "sleep",
    .computes = false,
    .describe = describe_sleep,
    .run = run_sleep,
};

const struct workload_kind workload_cpu = {
    .name = "cpu",
    .computes = true,
    .describe = describe_cpu,
    .run = run_cpu,
    .calibrate = calibrate_cpu,
};

/* sleep and cpu, from this file; the counter kinds, from counter.c */
const struct workload_kind *const workload_kinds[] = {
    &workload_sleep,  &workload_cpu,     &counter_unsynchronized,
    &counter_mutex,   &counter_atomic,   &counter_per_task,
    &counter_private, &counter_adjacent, NULL};
