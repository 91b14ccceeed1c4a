#include "strategy.h"

#include "gil.h"
#include "i18n.h"
#include "interrupt.h"

#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

void strategy_failure_format(const char *failed_call, int err, char *buf, size_t size)
{
    if (err == -STRATEGY_SAID_IN_FULL)
        snprintf(buf, size, "%s", failed_call);
    else
        snprintf(buf, size, "%s: %s", failed_call, strerror(-err));
}

/* Runs one task and fills its record: the unit every strategy shares. */
void strategy_run_task(const struct workload *w, size_t task, struct task_record *record)
{
    span_start(&record->span);
    record->checksum = workload_run_task(w, task);
    span_end(&record->span);
}

size_t strategy_worker_count(const struct strategy_context *context)
{
    if (context->workers > 0)
        return context->workers;
    cpu_set_t allowed;
    if (sched_getaffinity(0, sizeof allowed, &allowed) != 0)
        return 1;
    int count = CPU_COUNT(&allowed);
    return count > 0 ? (size_t)count : 1;
}

void strategy_run_serial_part(const struct strategy_context *context)
{
    if (context->serial_part == NULL)
        return;
    volatile uint64_t sink = workload_run_task(context->serial_part, 0); /* its result is not a task's */
    (void)sink;
}

/* ---- sequential ------------------------------------------------------ */

static int run_sequential(const struct strategy_context *context, const struct workload *w, size_t ntasks,
                          struct task_record *records, const char **failed_call)
{
    (void)context;     /* one thread, no settings */
    (void)failed_call; /* nothing here can fail */
    for (size_t i = 0; i < ntasks; i++)
        strategy_run_task(w, i, &records[i]);
    return 0;
}

const struct strategy strategy_sequential = {
    .name = "sequential",
    .explains = N_("one task after another, in one thread"),
    .overlaps_waiting = false,
    .computes_in_parallel = false,
    .run = run_sequential,
};

/* ---- threads --------------------------------------------------------- */

struct thread_job {
    const struct workload *workload;
    size_t task;
    struct task_record *record;
    struct gil *gil; /* threads+gil: the lock to hold while computing; else NULL */
};

/* The GIL's hooks: let go around waiting, offer it up between chunks. */
static void gil_drop_hook(void *gil)
{
    gil_drop(gil);
}
static void gil_take_hook(void *gil)
{
    gil_take(gil);
}
static void gil_yield_hook(void *gil)
{
    gil_yield_if_asked(gil);
}

static void *thread_main(void *arg)
{
    struct thread_job *job = arg;
    if (job->gil == NULL) {
        strategy_run_task(job->workload, job->task, job->record);
        return NULL;
    }
    struct workload_hooks hooks = {gil_drop_hook, gil_take_hook, gil_yield_hook, job->gil};
    span_start(&job->record->span); /* waiting for the lock counts: it is part of the task */
    gil_take(job->gil);
    job->record->checksum = workload_run_task_hooked(job->workload, job->task, &hooks);
    gil_drop(job->gil);
    span_end(&job->record->span);
    return NULL;
}

/* One thread per task; with a gil, each must hold it to compute. */
static int run_in_threads(const struct workload *w, size_t ntasks, struct task_record *records,
                          const char **failed_call, struct gil *gil)
{
    pthread_t *threads = calloc(ntasks, sizeof *threads);
    struct thread_job *jobs = calloc(ntasks, sizeof *jobs);
    size_t started = 0;
    int err = 0;
    if (threads == NULL || jobs == NULL) {
        *failed_call = "calloc";
        err = ENOMEM;
        goto out;
    }
    for (; started < ntasks; started++) {
        jobs[started] = (struct thread_job){w, started, &records[started], gil};
        err = pthread_create(&threads[started], NULL, thread_main, &jobs[started]);
        if (err != 0) { /* pthread_* return the error instead of setting errno */
            *failed_call = "pthread_create";
            break;
        }
    }
    for (size_t i = 0; i < started; i++) /* join even after a failure: no thread left behind */
        pthread_join(threads[i], NULL);
out:
    free(threads);
    free(jobs);
    return -err;
}

static int run_threads(const struct strategy_context *context, const struct workload *w, size_t ntasks,
                       struct task_record *records, const char **failed_call)
{
    (void)context; /* a thread per task, no settings */
    return run_in_threads(w, ntasks, records, failed_call, NULL);
}

const struct strategy strategy_threads = {
    .name = "threads",
    .explains = N_("one pthread per task, sharing this process's memory"),
    .overlaps_waiting = true,
    .computes_in_parallel = true,
    .start_cost = 3e-5,
    .run = run_threads,
};

/* ---- threads+gil ----------------------------------------------------- */

static int run_threads_gil(const struct strategy_context *context, const struct workload *w, size_t ntasks,
                           struct task_record *records, const char **failed_call)
{
    struct gil gil;
    double interval = context->switch_interval > 0.0 ? context->switch_interval : GIL_DEFAULT_INTERVAL;
    int err = gil_init(&gil, interval);
    if (err != 0) {
        *failed_call = "pthread_mutex_init or pthread_cond_init";
        return err;
    }
    err = run_in_threads(w, ntasks, records, failed_call, &gil);
    gil_destroy(&gil);
    return err;
}

const struct strategy strategy_threads_gil = {
    .name = "threads+gil",
    .explains = N_("a pthread per task, but one global lock to compute (as CPython)"),
    .overlaps_waiting = true,      /* the lock is let go while sleeping */
    .computes_in_parallel = false, /* only the holder computes */
    .start_cost = 3e-5,
    .run = run_threads_gil,
};

/* ---- processes ------------------------------------------------------- */

/* Waits for `pid`, retrying when a signal interrupts the wait. Returns 0
 * with its wait status in *status, or -errno. */
static int reap(pid_t pid, int *status)
{
    while (waitpid(pid, status, 0) < 0)
        if (errno != EINTR)
            return -errno;
    interrupt_untrack(pid);
    return 0;
}

/* How a task's child ended when not with exit status 0, said in full:
 * "child 3 (pid 4121): exited with 1", "...: killed by SIGKILL". */
static const char *child_ended_badly(size_t task, pid_t pid, int status)
{
    static _Thread_local char text[96];
    int used = snprintf(text, sizeof text, "child %zu (pid %d): ", task, (int)pid);
    if (WIFEXITED(status))
        snprintf(text + used, sizeof text - (size_t)used, "exited with %d", WEXITSTATUS(status));
    else {
        const char *name = sigabbrev_np(WTERMSIG(status)); /* "KILL", or NULL */
        snprintf(text + used, sizeof text - (size_t)used, "killed by SIG%s", name != NULL ? name : "?");
    }
    return text;
}

/* Kills and reaps the children started so far, after a failed fork. */
static void stop_children(const pid_t *pids, size_t started)
{
    int status;
    for (size_t i = 0; i < started; i++)
        kill(pids[i], SIGKILL);
    for (size_t i = 0; i < started; i++)
        reap(pids[i], &status);
}

static int run_processes(const struct strategy_context *context, const struct workload *w, size_t ntasks,
                         struct task_record *records, const char **failed_call)
{
    (void)context; /* a child per task, no settings */
    /* Children cannot write into our memory, only into memory mapped as
     * shared before the fork: one slot per task. */
    size_t bytes = ntasks * sizeof *records;
    struct task_record *shared = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (shared == MAP_FAILED) {
        *failed_call = "mmap";
        return -errno;
    }
    pid_t *pids = calloc(ntasks, sizeof *pids);
    int err = 0;
    if (pids == NULL) {
        *failed_call = "calloc";
        err = -ENOMEM;
        goto out;
    }
    for (size_t i = 0; i < ntasks; i++) {
        sigset_t saved;
        interrupt_hold(&saved); /* a signal now waits until the child is noted */
        pid_t pid = fork();
        if (pid == 0) {
            interrupt_release_in_child(&saved);
            free(pids); /* the child's copy: unused here, and a leak checker following it would count it */
            strategy_run_task(w, i, &shared[i]);
            _exit(0); /* _exit, not exit: the parent's stdio buffers must not be flushed twice */
        }
        int fork_errno = errno;
        interrupt_release(&saved, pid, false); /* Ctrl-C now kills and reaps it too */
        if (pid < 0) {
            *failed_call = "fork";
            err = -fork_errno;
            stop_children(pids, i); /* no child left behind */
            goto out;
        }
        pids[i] = pid;
    }
    for (size_t i = 0; i < ntasks; i++) { /* reap every child, even after a failure */
        int status = 0;
        int reaped = reap(pids[i], &status);
        if (err != 0)
            continue; /* the first failure is the one to report */
        if (reaped != 0) {
            *failed_call = "waitpid";
            err = reaped;
        } else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
            *failed_call = child_ended_badly(i, pids[i], status);
            err = -STRATEGY_SAID_IN_FULL;
        }
    }
    if (err == 0)
        memcpy(records, shared, bytes);
out:
    free(pids);
    munmap(shared, bytes);
    return err;
}

const struct strategy strategy_processes = {
    .name = "processes",
    .explains = N_("one fork()ed child per task, each with its own memory"),
    .overlaps_waiting = true,
    .computes_in_parallel = true,
    .start_cost = 2e-4,
    .run = run_processes,
};

/* ---- the list -------------------------------------------------------- */

const struct strategy *const strategy_all[] = {
    &strategy_sequential,
    &strategy_threads,
    &strategy_threads_gil,
    &strategy_processes,
    &strategy_event_loop,
    &strategy_pool,
#ifdef ATONCE_HAVE_OPENMP
    &strategy_openmp,
#endif
    NULL,
};

const struct strategy *strategy_find(const char *name)
{
    for (size_t i = 0; strategy_all[i] != NULL; i++)
        if (strcmp(strategy_all[i]->name, name) == 0)
            return strategy_all[i];
    return NULL;
}
