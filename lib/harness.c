#include "harness.h"

#include "stats.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* One timed run of all the tasks. */
struct run {
    double wall, user, sys;
    uint64_t checksum;
    struct load load;
};

/* Where the runs take place: for reading what else took their CPUs. */
struct surroundings {
    const struct cpu_list *cpus;
    const char *quota_dir;
};

static int time_one_run(const struct strategy *s, const struct workload *w, size_t ntasks,
                        const struct surroundings *around, struct task_record *records, struct run *out,
                        const char **failed_call)
{
    struct cpu_times cpu_before, cpu_after;
    struct load_sample load_before, load_after;
    load_sample("/", around->cpus, around->quota_dir, &load_before);
    int err = stopwatch_cpu(&cpu_before);
    if (err != 0) {
        *failed_call = "getrusage";
        return err;
    }
    double start = stopwatch_now();
    err = s->run(w, ntasks, records, failed_call);
    double end = stopwatch_now();
    if (err != 0)
        return err;
    if ((err = stopwatch_cpu(&cpu_after)) != 0) {
        *failed_call = "getrusage";
        return err;
    }
    load_sample("/", around->cpus, around->quota_dir, &load_after);
    out->wall = end - start;
    out->user = cpu_after.user - cpu_before.user;
    out->sys = cpu_after.sys - cpu_before.sys;
    out->load = load_between(&load_before, &load_after, out->user + out->sys,
                             cpu_after.involuntary - cpu_before.involuntary);
    out->checksum = 0;
    for (size_t i = 0; i < ntasks; i++) {
        out->checksum = workload_combine(out->checksum, records[i].checksum);
        records[i].span.start -= start; /* the timeline starts at 0 */
        records[i].span.end -= start;
    }
    return 0;
}

/* Index of the run whose wall time is the (lower) median. */
static size_t median_run(const double *walls, size_t n)
{
    size_t best = 0;
    for (size_t i = 0; i < n; i++) {
        size_t below = 0, equal_before = 0; /* rank of run i */
        for (size_t j = 0; j < n; j++) {
            below += walls[j] < walls[i];
            equal_before += j < i && walls[j] == walls[i];
        }
        if (below + equal_before == (n - 1) / 2)
            best = i;
    }
    return best;
}

static int measure(const struct harness_plan *plan, const struct strategy *s, const struct workload *w,
                   const struct surroundings *around, struct measurement *out, const char **failed_call)
{
    size_t n = plan->ntasks, runs = (size_t)plan->runs, total = (size_t)plan->warmup + (size_t)plan->runs;
    struct task_record *records = calloc(runs * n, sizeof *records); /* one row per measured run */
    double *walls = calloc(runs, sizeof *walls), *users = calloc(runs, sizeof *users),
           *syss = calloc(runs, sizeof *syss);
    int err = 0;
    if (records == NULL || walls == NULL || users == NULL || syss == NULL) {
        *failed_call = "calloc";
        err = -ENOMEM;
        goto out;
    }
    *out = (struct measurement){.strategy = s, .runs = plan->runs, .checksum_ok = true};
    for (size_t r = 0; r < total; r++) {
        if (plan->on_run != NULL)
            plan->on_run(s, (int)r + 1, (int)total, plan->context);
        size_t k = r < (size_t)plan->warmup ? 0 : r - (size_t)plan->warmup; /* warm-ups reuse row 0 */
        struct run run;
        if ((err = time_one_run(s, w, n, around, &records[k * n], &run, failed_call)) != 0)
            goto out;
        if (r == 0)
            out->checksum = run.checksum;
        else if (run.checksum != out->checksum)
            out->checksum_ok = false; /* the same work must give the same answer every time */
        if (r >= (size_t)plan->warmup) {
            walls[k] = run.wall;
            users[k] = run.user;
            syss[k] = run.sys;
            out->wall_total += run.wall;
            out->load = k == 0 ? run.load : load_add(out->load, run.load);
        }
    }
    out->wall = stats_median(walls, runs);
    out->wall_min = stats_min(walls, runs);
    out->wall_max = stats_max(walls, runs);
    out->user = stats_median(users, runs);
    out->sys = stats_median(syss, runs);
    if ((out->spans = malloc(n * sizeof *out->spans)) == NULL) {
        *failed_call = "malloc";
        err = -ENOMEM;
        goto out;
    }
    const struct task_record *kept = &records[median_run(walls, runs) * n];
    for (size_t i = 0; i < n; i++)
        out->spans[i] = kept[i].span;
out:
    free(records);
    free(walls);
    free(users);
    free(syss);
    return err;
}

int harness_compare(const struct harness_plan *plan, const struct workload *w, struct comparison *out,
                    const char **failed_call)
{
    memset(out, 0, sizeof *out);
    out->workload = *w;
    out->ntasks = plan->ntasks;
    out->warmup = plan->warmup;
    struct machine *m = malloc(sizeof *m);
    if (m == NULL) {
        *failed_call = "malloc";
        return -ENOMEM;
    }
    int err = machine_read(m);
    if (err != 0) {
        free(m);
        *failed_call = "sched_getaffinity";
        return err;
    }
    out->cpus = m->allowed;
    out->cores = machine_count_cores(m, &out->cpus);
    out->quota = m->quota;
    struct surroundings around = {.cpus = &out->cpus, .quota_dir = m->quota_dir};
    for (size_t i = 0; i < plan->count && i < HARNESS_MAX_STRATEGIES; i++) {
        if ((err = measure(plan, plan->strategies[i], w, &around, &out->results[i], failed_call)) != 0) {
            harness_free(out);
            break;
        }
        out->count = i + 1;
        /* The first strategy's answer is the reference the others must match. */
        if (out->results[i].checksum != out->results[0].checksum)
            out->results[i].checksum_ok = false;
    }
    free(m);
    return err;
}

void harness_free(struct comparison *c)
{
    for (size_t i = 0; i < c->count; i++) {
        free(c->results[i].spans);
        c->results[i].spans = NULL;
    }
    c->count = 0;
}

bool harness_checksums_ok(const struct comparison *c)
{
    for (size_t i = 0; i < c->count; i++)
        if (!c->results[i].checksum_ok)
            return false;
    return true;
}

const struct measurement *harness_find(const struct comparison *c, const char *name)
{
    for (size_t i = 0; i < c->count; i++)
        if (strcmp(c->results[i].strategy->name, name) == 0)
            return &c->results[i];
    return NULL;
}

/* How many tasks can compute at the same instant (machine_capacity). */
static double parallel_capacity(const struct comparison *c)
{
    return machine_capacity(c->cpus.count, c->quota);
}

double harness_best_ideal(const struct comparison *c)
{
    double tasks = (double)c->ntasks, capacity = parallel_capacity(c);
    if (c->workload.kind == WORKLOAD_SLEEP)
        return tasks;
    return tasks < capacity ? tasks : capacity;
}

bool harness_can_speed_up(const struct comparison *c, const struct strategy *s)
{
    return c->workload.kind == WORKLOAD_SLEEP ? s->overlaps_waiting : s->computes_in_parallel;
}

double harness_ideal_speedup(const struct comparison *c, const struct measurement *m)
{
    if (!harness_can_speed_up(c, m->strategy))
        return 1.0;
    if (m->strategy->workers > 0) { /* fixed shares: the busiest worker sets the pace */
        double tasks = (double)c->ntasks, cpus = parallel_capacity(c);
        double busiest = ceil(tasks / (double)m->strategy->workers);
        double pace = c->workload.kind == WORKLOAD_CPU && tasks / cpus > busiest ? tasks / cpus : busiest;
        return tasks / pace;
    }
    return harness_best_ideal(c);
}

double harness_speedup(const struct comparison *c, const struct measurement *m)
{
    const struct measurement *base = harness_find(c, "sequential");
    return base != NULL ? stats_speedup(base->wall, m->wall) : 0.0;
}
