/*
 * stopwatch: the clocks every measurement in atonce reads.
 *
 * Wall time comes from CLOCK_MONOTONIC: it never jumps when the system
 * clock is set, and it is the same clock in every thread and process, so
 * spans recorded by threads and by forked children line up on one timeline.
 * CPU time comes from getrusage(): the process's own threads (RUSAGE_SELF)
 * plus the children it has already waited for (RUSAGE_CHILDREN).
 * Never clock(): for a parallel run it sums all threads, which is exactly
 * the number we must keep apart from wall time.
 */
#ifndef ATONCE_STOPWATCH_H
#define ATONCE_STOPWATCH_H

/* One task's time on the monotonic clock, in seconds, and who ran it. */
struct span {
    double start;
    double end;
    double cpu; /* CPU time the task itself used, seconds: at most end - start */
    int pid;    /* the process that ran the task */
    int tid;    /* and its thread (the kernel's id, as in /proc/PID/task/TID) */
};

/* Starts a span now, in the calling thread: its start time, pid and tid,
 * and the thread's CPU clock, so that span_end can tell the CPU it used. */
void span_start(struct span *s);

/* Ends a span now, in the same thread that started it. */
void span_end(struct span *s);

/* CPU time, in seconds. */
struct cpu_times {
    double user;      /* running our code */
    double sys;       /* running the kernel on our behalf */
    long involuntary; /* times the kernel took a CPU away from us before we were done with it */
};

/* Seconds on CLOCK_MONOTONIC (an arbitrary but fixed origin). */
double stopwatch_now(void);

/* CPU time this calling thread has used (CLOCK_THREAD_CPUTIME_ID). */
double stopwatch_thread_cpu(void);

/* CPU used so far by this process and its reaped children.
 * Returns 0, or -errno if getrusage fails. */
int stopwatch_cpu(struct cpu_times *out);

#endif
