/*
 * The event_loop strategy: every task in this one thread, with no other
 * thread and no child. It is how asyncio, Node.js or nginx wait for many
 * things at once.
 *
 * A sleeping task is a timer. The loop arms one deadline per task, then
 * sleeps in ppoll() until the earliest deadline (ppoll is the loop's one
 * place to wait: a real loop would hand it the sockets and pipes it
 * watches too), and completes every task whose timer is due. Waiting costs
 * one entry in a queue, not a thread or a process: ten thousand sleeping
 * tasks fit in a few MiB.
 *
 * A computing task never waits, so the loop cannot switch away from it:
 * each task's callback runs to the end before the next one starts, and cpu
 * tasks run one after another, as sequential ones do.
 */
#include "strategy.h"

#include "i18n.h"

#include <errno.h>
#include <math.h>
#include <poll.h>
#include <time.h>

static int run_computing(const struct workload *w, size_t ntasks, struct task_record *records)
{
    for (size_t i = 0; i < ntasks; i++) { /* one callback at a time, each to its end */
        span_start(&records[i].span);
        records[i].checksum = workload_run_task(w, i);
        span_end(&records[i].span);
    }
    return 0;
}

/* Sleeps until `deadline` or a signal, whichever comes first. */
static int wait_until(double deadline, const char **failed_call)
{
    double left = deadline - stopwatch_now();
    if (left <= 0.0)
        return 0;
    struct timespec timeout = {.tv_sec = (time_t)left, .tv_nsec = (long)((left - floor(left)) * 1e9)};
    if (ppoll(NULL, 0, &timeout, NULL) < 0 && errno != EINTR) { /* no fds: only the timeout */
        *failed_call = "ppoll";
        return -errno;
    }
    return 0;
}

static int run_sleeping(const struct workload *w, size_t ntasks, struct task_record *records,
                        const char **failed_call)
{
    /* Arm one timer per task. Every task sleeps the same time and they are
     * armed in order, so the deadlines are already sorted: the timer queue
     * is first in, first out. (A general loop keeps them in a heap.) */
    for (size_t i = 0; i < ntasks; i++)
        span_start(&records[i].span);
    size_t next = 0; /* the earliest timer not yet due */
    while (next < ntasks) {
        int err = wait_until(records[next].span.start + w->seconds, failed_call);
        if (err != 0)
            return err;
        double now = stopwatch_now();
        for (; next < ntasks && records[next].span.start + w->seconds <= now; next++) {
            records[next].span.end = now; /* the task's callback: its wait is over */
            records[next].span.cpu = 0.0; /* a timer costs the loop next to nothing per task */
            records[next].checksum = workload_token(next);
        }
    }
    return 0;
}

static int run_event_loop(const struct strategy_context *context, const struct workload *w, size_t ntasks,
                          struct task_record *records, const char **failed_call)
{
    (void)context; /* one thread, no settings */
    if (workload_computes(w))
        return run_computing(w, ntasks, records);
    return run_sleeping(w, ntasks, records, failed_call);
}

const struct strategy strategy_event_loop = {
    .name = "event_loop",
    .explains = N_("one thread, one timer per task: waits overlap, computing does not"),
    .overlaps_waiting = true,
    .computes_in_parallel = false,
    .run = run_event_loop,
};
