/*
 * gil: one global lock that a thread must hold to compute, modelled on
 * CPython's GIL (Python/ceval_gil.c, before 3.13's free-threaded build).
 *
 * A thread that wants the lock waits on a condition variable. If the
 * holder keeps it for a whole switch interval (default 5 ms, as
 * sys.setswitchinterval), the waiter sets drop_request; the holder checks
 * that flag between small chunks of work (CPython's "eval breaker") and
 * lets go, then waits until another thread has taken the lock before it
 * asks for it again ("forced switching"), so it cannot grab it straight
 * back. Waiting (sleep, I/O) is done with the lock released.
 *
 * The result: any number of threads, but at most one computing at a time.
 */
#ifndef ATONCE_GIL_H
#define ATONCE_GIL_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>

#define GIL_DEFAULT_INTERVAL 0.005 /* seconds: CPython's default switch interval */

struct gil {
    pthread_mutex_t mutex;
    pthread_cond_t released;  /* signalled when the holder lets go */
    pthread_cond_t taken;     /* signalled when someone takes it */
    bool locked;              /* under mutex */
    unsigned long switches;   /* under mutex: how many times it was taken */
    atomic_bool drop_request; /* set by a waiter, read by the holder without the mutex */
    double interval;          /* seconds a waiter waits before asking */
};

/* Returns 0 or -errno. */
int gil_init(struct gil *g, double interval);
void gil_destroy(struct gil *g);

/* Blocks until this thread holds the lock. */
void gil_take(struct gil *g);

/* Lets go of the lock. */
void gil_drop(struct gil *g);

/* Called by the holder between chunks of work: lets go and takes the lock
 * again if a waiter has asked for it. Cheap (one atomic load) otherwise. */
void gil_yield_if_asked(struct gil *g);

/* How many times the lock has been taken so far. */
unsigned long gil_switches(struct gil *g);

#endif
