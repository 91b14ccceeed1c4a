#include "stopwatch.h"

#include <errno.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

static double timespec_seconds(struct timespec ts)
{
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double timeval_seconds(struct timeval tv)
{
    return (double)tv.tv_sec + (double)tv.tv_usec / 1e6;
}

double stopwatch_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts); /* cannot fail for this clock */
    return timespec_seconds(ts);
}

void span_start(struct span *s)
{
    s->pid = (int)getpid();
    s->tid = (int)gettid();
    s->start = stopwatch_now();
    s->cpu = stopwatch_thread_cpu(); /* until span_end: the thread's CPU clock at the start */
}

void span_end(struct span *s)
{
    s->cpu = stopwatch_thread_cpu() - s->cpu; /* what this thread used in between (read inside */
    s->end = stopwatch_now();                 /* the wall interval, so cpu <= end - start) */
}

double stopwatch_thread_cpu(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return timespec_seconds(ts);
}

int stopwatch_cpu(struct cpu_times *out)
{
    struct rusage self, children;
    if (getrusage(RUSAGE_SELF, &self) != 0 || getrusage(RUSAGE_CHILDREN, &children) != 0)
        return -errno;
    out->user = timeval_seconds(self.ru_utime) + timeval_seconds(children.ru_utime);
    out->sys = timeval_seconds(self.ru_stime) + timeval_seconds(children.ru_stime);
    out->involuntary = self.ru_nivcsw + children.ru_nivcsw;
    return 0;
}
