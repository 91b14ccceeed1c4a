#include "gil.h"

#include <errno.h>
#include <math.h>
#include <time.h>

int gil_init(struct gil *g, double interval)
{
    pthread_condattr_t attr;
    int err = pthread_condattr_init(&attr);
    if (err != 0)
        return -err;
    /* timed waits on the monotonic clock: immune to clock changes */
    err = pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    if (err == 0 && (err = pthread_mutex_init(&g->mutex, NULL)) == 0) {
        if ((err = pthread_cond_init(&g->released, &attr)) == 0) {
            if ((err = pthread_cond_init(&g->taken, &attr)) != 0)
                pthread_cond_destroy(&g->released);
        }
        if (err != 0)
            pthread_mutex_destroy(&g->mutex);
    }
    pthread_condattr_destroy(&attr);
    g->locked = false;
    g->switches = 0;
    atomic_init(&g->drop_request, false);
    g->interval = interval;
    return -err;
}

void gil_destroy(struct gil *g)
{
    pthread_cond_destroy(&g->taken);
    pthread_cond_destroy(&g->released);
    pthread_mutex_destroy(&g->mutex);
}

/* `seconds` from now on CLOCK_MONOTONIC, for pthread_cond_timedwait. */
static struct timespec monotonic_after(double seconds)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    double whole = floor(seconds);
    ts.tv_sec += (time_t)whole;
    ts.tv_nsec += (long)((seconds - whole) * 1e9);
    if (ts.tv_nsec >= 1000000000L) {
        ts.tv_sec += 1;
        ts.tv_nsec -= 1000000000L;
    }
    return ts;
}

void gil_take(struct gil *g)
{
    pthread_mutex_lock(&g->mutex);
    while (g->locked) {
        unsigned long before = g->switches;
        struct timespec until = monotonic_after(g->interval);
        int waited = pthread_cond_timedwait(&g->released, &g->mutex, &until);
        /* A whole interval and the same holder: ask it to let go. */
        if (waited == ETIMEDOUT && g->locked && g->switches == before)
            atomic_store(&g->drop_request, true);
    }
    g->locked = true;
    g->switches++;
    atomic_store(&g->drop_request, false); /* whoever asked has been served */
    pthread_cond_broadcast(&g->taken);
    pthread_mutex_unlock(&g->mutex);
}

void gil_drop(struct gil *g)
{
    pthread_mutex_lock(&g->mutex);
    g->locked = false;
    pthread_cond_signal(&g->released);
    pthread_mutex_unlock(&g->mutex);
}

void gil_yield_if_asked(struct gil *g)
{
    if (!atomic_load_explicit(&g->drop_request, memory_order_relaxed))
        return; /* the common case: nobody is waiting long */
    pthread_mutex_lock(&g->mutex);
    unsigned long before = g->switches;
    g->locked = false;
    pthread_cond_signal(&g->released);
    while (g->switches == before) /* forced switching: let the waiter in first */
        pthread_cond_wait(&g->taken, &g->mutex);
    pthread_mutex_unlock(&g->mutex);
    gil_take(g);
}

unsigned long gil_switches(struct gil *g)
{
    pthread_mutex_lock(&g->mutex);
    unsigned long n = g->switches;
    pthread_mutex_unlock(&g->mutex);
    return n;
}
