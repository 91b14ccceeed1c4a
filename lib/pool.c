#include "pool.h"

#include "i18n.h"
#include "strategy.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>

struct shared {
    atomic_size_t next; /* the next task number to hand out */
    size_t ntasks;
    void (*task)(size_t index, size_t worker, void *context);
    void *context;
};

struct worker {
    struct shared *shared;
    size_t number;
};

static void *work(void *arg)
{
    struct worker *me = arg;
    struct shared *s = me->shared;
    for (;;) {
        size_t index = atomic_fetch_add(&s->next, 1); /* take one: no two workers get the same */
        if (index >= s->ntasks)
            return NULL;
        s->task(index, me->number, s->context);
    }
}

int pool_run(size_t workers, size_t ntasks, void (*task)(size_t index, size_t worker, void *context),
             void *context, const char **failed_call)
{
    struct shared shared = {.ntasks = ntasks, .task = task, .context = context};
    atomic_init(&shared.next, 0);
    pthread_t *threads = calloc(workers, sizeof *threads);
    struct worker *each = calloc(workers, sizeof *each);
    size_t started = 0;
    int err = 0;
    if (threads == NULL || each == NULL) {
        *failed_call = "calloc";
        err = ENOMEM;
    }
    for (; err == 0 && started < workers; started++) {
        each[started] = (struct worker){&shared, started};
        if ((err = pthread_create(&threads[started], NULL, work, &each[started])) != 0) {
            *failed_call = "pthread_create";
            break;
        }
    }
    for (size_t i = 0; i < started; i++) /* the started ones finish the tasks, even after a failure */
        pthread_join(threads[i], NULL);
    free(threads);
    free(each);
    return -err;
}

/* ---- the pool as a strategy ------------------------------------------ */

struct pooled_tasks {
    const struct workload *w;
    struct task_record *records;
};

static void run_pooled_task(size_t index, size_t worker, void *context)
{
    struct pooled_tasks *tasks = context;
    (void)worker; /* any worker runs any task: the record says which one did (its tid) */
    strategy_run_task(tasks->w, index, &tasks->records[index]);
}

static int run_pool(const struct strategy_context *context, const struct workload *w, size_t ntasks,
                    struct task_record *records, const char **failed_call)
{
    strategy_run_serial_part(context); /* the part no worker can share */
    struct pooled_tasks tasks = {w, records};
    return pool_run(strategy_worker_count(context), ntasks, run_pooled_task, &tasks, failed_call);
}

const struct strategy strategy_pool = {
    .name = "pool",
    .explains = N_("a pool of worker threads, each taking the next task when free"),
    .overlaps_waiting = true,
    .computes_in_parallel = true,
    .workers = STRATEGY_WORKERS_TAKE_NEXT,
    .start_cost = 0, /* its workers start once per run, not once per task */
    .run = run_pool,
};
