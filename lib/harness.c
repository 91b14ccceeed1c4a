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
    uint64_t result; /* what the run left in its shared state (workload_kind.result), else 0 */
    struct load load;
    unsigned disturbed; /* enum disturbance: why the run was not fair, 0 when it was */
};

/* Where the runs take place: for reading what else took their CPUs. */
struct surroundings {
    const struct cpu_list *cpus;
    const char *quota_dir;
};

/* Runs strategy `s` once between the two clocks' readings. The state the
 * tasks share is made before and released after: not part of the run. */
static int run_between_clocks(const struct comparison *c, const struct strategy *s,
                              struct task_record *records, struct run *out, double *start, double *end,
                              const char **failed_call)
{
    struct workload w = c->workload;
    int err = workload_setup(&w, c->ntasks, failed_call);
    if (err != 0)
        return err;
    *start = stopwatch_now();
    err = s->run(&c->strategy_context, &w, c->ntasks, records, failed_call);
    *end = stopwatch_now();
    out->result = w.kind->result != NULL ? w.kind->result(&w, c->ntasks) : 0; /* before it is released */
    workload_teardown(&w);
    return err;
}

static int time_one_run(const struct comparison *c, const struct strategy *s,
                        const struct surroundings *around, struct task_record *records, struct run *out,
                        const char **failed_call)
{
    struct cpu_times cpu_before, cpu_after;
    struct load_sample load_before, load_after;
    size_t ntasks = c->ntasks;
    load_sample("/", around->cpus, around->quota_dir, &load_before);
    int err = stopwatch_cpu(&cpu_before);
    if (err != 0) {
        *failed_call = "getrusage";
        return err;
    }
    double start = 0.0, end = 0.0;
    if ((err = run_between_clocks(c, s, records, out, &start, &end, failed_call)) != 0)
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

double harness_mean_task_cpu(const struct span *spans, size_t ntasks)
{
    double total = 0.0;
    for (size_t t = 0; t < ntasks; t++)
        total += spans[t].cpu;
    return ntasks > 0 ? total / (double)ntasks : 0.0;
}

/* How many workers strategy `s` has under `context`: one for sequential,
 * the context's for shared workers (`fallback` when it leaves that to the
 * machine), 0 for a worker per task. */
static size_t workers_of(const struct strategy *s, const struct strategy_context *context, size_t fallback)
{
    if (s == &strategy_sequential)
        return 1;
    if (s->workers == STRATEGY_WORKER_PER_TASK)
        return 0;
    return context->workers > 0 ? context->workers : fallback;
}

/* How many of strategy `s`'s tasks are open at the same time. */
static size_t tasks_at_once(const struct strategy *s, const struct strategy_context *context, size_t ntasks,
                            size_t fallback)
{
    size_t workers = workers_of(s, context, fallback);
    return workers > 0 && workers < ntasks ? workers : ntasks;
}

/* The same in a comparison, whose context says how many workers. */
static size_t comparison_tasks_at_once(const struct comparison *c, const struct strategy *s)
{
    return tasks_at_once(s, &c->strategy_context, c->ntasks, c->cpus.count);
}

/* Should each computing task of `s` have had a CPU of its own while open?
 * Sequential's one task, and a parallel strategy's tasks when there are
 * no more of them than CPUs (and quota). Not threads+gil's: they wait for
 * the lock by design. */
static bool owns_a_cpu(const struct comparison *c, const struct strategy *s)
{
    double capacity = machine_capacity(c->cpus.count, c->quota);
    bool one_per_cpu = (double)comparison_tasks_at_once(c, s) <= capacity;
    return workload_computes(&c->workload) && one_per_cpu &&
           (s == &strategy_sequential || s->computes_in_parallel);
}

/* Should every task of `s` start at once (as soon as its worker exists)?
 * Yes when each task has a worker of its own: a thread or process per
 * task, or fixed shares (mpi_cpu's ranks) of one task each. */
static bool starts_at_once(const struct comparison *c, const struct strategy *s)
{
    bool own_worker = s->workers != STRATEGY_WORKERS_TAKE_NEXT && comparison_tasks_at_once(c, s) == c->ntasks;
    if (!workload_computes(&c->workload))
        return s->overlaps_waiting && own_worker;
    return owns_a_cpu(c, s) && s != &strategy_sequential && own_worker;
}

/* A worker (a thread or process, told apart by pid and tid) that should
 * have had a CPU of its own was off it, while its tasks were open, for
 * more than 5 % of the run. Adding up a worker's tasks lets each of a
 * pool's many short chunks lose a little to an interrupt. */
static bool a_worker_waited(const struct comparison *c, const struct strategy *s, const struct span *spans,
                            double wall)
{
    if (!owns_a_cpu(c, s))
        return false;
    size_t most = comparison_tasks_at_once(c, s), count = 0; /* workers: at most that many */
    struct lane {
        int pid, tid;
        double lost; /* seconds open but not on a CPU */
    } *lanes = calloc(most, sizeof *lanes);
    bool waited = false;
    for (size_t t = 0; t < c->ntasks && lanes != NULL && !waited; t++) {
        size_t i = 0;
        while (i < count && (lanes[i].pid != spans[t].pid || lanes[i].tid != spans[t].tid))
            i++;
        if (i == count && count == most)
            break; /* more workers than at once: not a CPU each, nothing to judge */
        if (i == count)
            lanes[count++] = (struct lane){.pid = spans[t].pid, .tid = spans[t].tid};
        lanes[i].lost += spans[t].end - spans[t].start - spans[t].cpu;
        waited = lanes[i].lost > (1.0 - HARNESS_FAIR_SHARE) * wall;
    }
    free(lanes);
    return waited;
}

/* Tasks that contend (a shared counter or cache line) slow each other only
 * while two or more run at once, on CPUs of their own. */
static bool tasks_contend_now(const struct comparison *c, const struct strategy *s)
{
    size_t at_once = comparison_tasks_at_once(c, s);
    return c->workload.kind->tasks_contend && at_once > 1 && c->cpus.count > 1;
}

/* Hyper-threads sharing a core slow each other's tasks by design, a
 * clock that boosts for one busy CPU drops when more are busy, and tasks
 * that contend for one counter or cache line wait for it on the CPU. */
static bool slower_clock_expected(const struct comparison *c, const struct strategy *s)
{
    size_t at_once = comparison_tasks_at_once(c, s);
    size_t busy_cpus = at_once < c->cpus.count ? at_once : c->cpus.count; /* the rest take turns */
    bool shares_cores = c->cores > 0 && busy_cpus > (size_t)c->cores;
    return shares_cores || (c->boost == 1 && at_once > 1) || tasks_contend_now(c, s);
}

/* How long one task takes when nothing disturbs it: a sleep as long as
 * asked; computing as long as the fastest run's tasks needed, or, where a
 * slower clock is expected, as long as this run's tasks were open (the
 * longest of them where tasks contend: they slow each other unevenly, and
 * the one that lost most to the others ends last). */
static double undisturbed_task(const struct comparison *c, const struct strategy *s, const struct span *spans,
                               double fastest_task_cpu)
{
    if (!workload_computes(&c->workload))
        return c->workload.seconds;
    if (fastest_task_cpu > 0.0 && !slower_clock_expected(c, s))
        return fastest_task_cpu;
    double open = 0.0, longest = 0.0;
    for (size_t t = 0; t < c->ntasks; t++) {
        open += spans[t].end - spans[t].start;
        longest = fmax(longest, spans[t].end - spans[t].start);
    }
    if (tasks_contend_now(c, s))
        return longest;
    return c->ntasks > 0 ? open / (double)c->ntasks : 0.0;
}

/* Tasks that start at once should make a run as long as one undisturbed
 * task, plus starting them. A task started late, or the run took longer,
 * by more than twice the start-up and 5 % of a task: small delays (a
 * slightly slower CPU, a late start, a slow exit) added up. */
static bool something_late(const struct comparison *c, const struct strategy *s, const struct span *spans,
                           double wall, double fastest_task_cpu)
{
    if (!starts_at_once(c, s))
        return false;
    double slack = 2.0 * (double)c->ntasks * s->start_cost + HARNESS_LATE_SHARE * c->workload.seconds;
    double latest_start = 0.0;
    for (size_t t = 0; t < c->ntasks; t++)
        latest_start = fmax(latest_start, spans[t].start);
    return latest_start > slack || wall > undisturbed_task(c, s, spans, fastest_task_cpu) + slack;
}

/* The tasks needed more CPU time than the fastest run's for the same work. */
static bool tasks_slowed(const struct comparison *c, const struct strategy *s, const struct span *spans,
                         double fastest_task_cpu)
{
    return workload_computes(&c->workload) && !slower_clock_expected(c, s) && fastest_task_cpu > 0.0 &&
           harness_mean_task_cpu(spans, c->ntasks) > (1.0 + HARNESS_SLOWER_TASK) * fastest_task_cpu;
}

unsigned harness_disturbance(const struct comparison *c, const struct strategy *s, const struct span *spans,
                             double wall, double fastest_task_cpu)
{
    unsigned disturbed = (a_worker_waited(c, s, spans, wall) ? DISTURB_WAITED : 0u) |
                         (tasks_slowed(c, s, spans, fastest_task_cpu) ? DISTURB_SLOWED : 0u);
    /* A run whose tasks waited or were slowed is judged against its tasks
     * as they ran: the delay is named already. */
    if (something_late(c, s, spans, wall, disturbed != 0 ? 0.0 : fastest_task_cpu))
        disturbed |= DISTURB_LATE;
    return disturbed;
}

/* One strategy's runs so far, kept until the comparison is complete: a
 * later strategy's faster tasks can show that its runs were slowed. */
struct trials {
    const struct strategy *strategy;
    size_t measured, fair;
    struct run *runs;   /* up to ALL_PASSES_RUNS x the runs asked for */
    struct span *spans; /* ntasks per run */
};

/* A strategy gets up to twice its runs at first, then, if too few were
 * fair once every strategy ran, as many again (the disturbance may be over). */
#define FIRST_PASS_RUNS 2
#define ALL_PASSES_RUNS 3

/* Marks each run fair or not against the fastest task CPU time seen so far
 * in the comparison, and counts the fair ones. */
static void judge_runs(const struct comparison *c, struct trials *t, double fastest_task_cpu)
{
    t->fair = 0;
    for (size_t k = 0; k < t->measured; k++) {
        t->runs[k].disturbed =
            harness_disturbance(c, t->strategy, &t->spans[k * c->ntasks], t->runs[k].wall, fastest_task_cpu);
        t->fair += t->runs[k].disturbed == 0;
    }
}

struct pass {
    const struct harness_plan *plan;
    const struct workload *workload;
    struct comparison *c;
    const struct surroundings *around;
    double fastest_task_cpu; /* the reference a slowed run is judged by */
    size_t wanted;           /* measured runs asked for, at least 1 */
    size_t warmup;           /* 0 after the first pass */
    size_t cap;              /* runs a strategy may reach in this pass */
};

/* Runs strategy t->strategy until it has the runs asked for and as many
 * fair ones, or reached the pass's cap. */
static int add_runs(struct pass *p, struct trials *t, struct measurement *out, const char **failed_call)
{
    size_t n = p->c->ntasks, wanted = p->wanted;
    struct task_record *records = calloc(n, sizeof *records);
    if (records == NULL) {
        *failed_call = "calloc";
        return -ENOMEM;
    }
    int err = 0;
    for (size_t r = 0; t->measured < wanted || (t->fair < wanted && t->measured < p->cap); r++) {
        if (p->plan->on_run != NULL) /* the total grows when a run is set aside */
            p->plan->on_run(t->strategy, (int)(r + 1),
                            (int)(p->warmup + (t->measured < wanted ? wanted : t->measured + 1)),
                            p->plan->context);
        struct run run;
        if ((err = time_one_run(p->c, t->strategy, p->around, records, &run, failed_call)) != 0)
            break;
        if (t->measured == 0 && r == 0)
            out->checksum = run.checksum;
        else if (run.checksum != out->checksum)
            out->checksum_ok = false; /* the same work must give the same answer every time */
        if (r < p->warmup)
            continue;
        out->wrong_results += run.result != p->c->expected_result;
        struct span *spans = &t->spans[t->measured * n];
        for (size_t i = 0; i < n; i++)
            spans[i] = records[i].span;
        double task_cpu = harness_mean_task_cpu(spans, n);
        if (workload_computes(p->workload) && task_cpu > 0.0 &&
            (p->fastest_task_cpu == 0.0 || task_cpu < p->fastest_task_cpu))
            p->fastest_task_cpu = task_cpu;
        t->runs[t->measured++] = run;
        out->wall_total += run.wall;
        out->load = t->measured == 1 ? run.load : load_add(out->load, run.load);
        judge_runs(p->c, t, p->fastest_task_cpu);
    }
    free(records);
    return err;
}

/* Fills `out` from the runs to keep: the fair ones, or all when none was. */
static int summarize(const struct comparison *c, const struct trials *t, struct measurement *out,
                     const char **failed_call)
{
    size_t n = c->ntasks, kept = 0;
    double *walls = calloc(t->measured, sizeof *walls), *users = calloc(t->measured, sizeof *users),
           *syss = calloc(t->measured, sizeof *syss);
    size_t *which = calloc(t->measured, sizeof *which);
    out->spans = malloc(n * sizeof *out->spans);
    int err = 0;
    if (walls == NULL || users == NULL || syss == NULL || which == NULL || out->spans == NULL) {
        *failed_call = "calloc";
        err = -ENOMEM;
        goto out;
    }
    for (size_t k = 0; k < t->measured; k++) {
        const struct run *run = &t->runs[k];
        if (t->fair > 0 && run->disturbed != 0) {
            out->set_aside_why |= run->disturbed;
            continue;
        }
        out->disturbed |= run->disturbed;
        walls[kept] = run->wall;
        users[kept] = run->user;
        syss[kept] = run->sys;
        which[kept++] = k;
    }
    out->runs = (int)t->measured;
    out->set_aside = (int)(t->measured - kept);
    out->wall = stats_median(walls, kept);
    out->wall_min = stats_min(walls, kept);
    out->wall_max = stats_max(walls, kept);
    out->user = stats_median(users, kept);
    out->sys = stats_median(syss, kept);
    size_t median = which[stats_median_index(walls, kept)];
    out->result = t->runs[median].result;
    memcpy(out->spans, &t->spans[median * n], n * sizeof *out->spans);
out:
    free(walls);
    free(users);
    free(syss);
    free(which);
    return err;
}

/* Measures every strategy of the plan into c->results. */
static int measure_all(const struct harness_plan *plan, const struct workload *w, struct comparison *c,
                       const struct surroundings *around, struct trials *trials, const char **failed_call)
{
    size_t count = plan->count < HARNESS_MAX_STRATEGIES ? plan->count : HARNESS_MAX_STRATEGIES;
    size_t wanted = plan->runs > 1 ? (size_t)plan->runs : 1;
    struct pass pass = {.plan = plan,
                        .wanted = wanted,
                        .workload = w,
                        .c = c,
                        .around = around,
                        .warmup = (size_t)plan->warmup,
                        .cap = FIRST_PASS_RUNS * wanted,
                        .fastest_task_cpu = plan->reference_task_cpu};
    int err = 0;
    for (size_t i = 0; i < count && err == 0; i++) {
        c->results[i] = (struct measurement){.strategy = plan->strategies[i], .checksum_ok = true};
        c->count = i + 1;
        trials[i].strategy = plan->strategies[i];
        trials[i].runs = calloc(ALL_PASSES_RUNS * wanted, sizeof *trials[i].runs);
        trials[i].spans = calloc(ALL_PASSES_RUNS * wanted * c->ntasks, sizeof *trials[i].spans);
        if (trials[i].runs == NULL || trials[i].spans == NULL) {
            *failed_call = "calloc";
            return -ENOMEM;
        }
        err = add_runs(&pass, &trials[i], &c->results[i], failed_call);
    }
    pass.warmup = 0;
    pass.cap = ALL_PASSES_RUNS * wanted;
    for (size_t i = 0; i < count && err == 0; i++) { /* err == 0: every one was started */
        judge_runs(c, &trials[i], pass.fastest_task_cpu);
        if (trials[i].fair < wanted)
            err = add_runs(&pass, &trials[i], &c->results[i], failed_call);
    }
    for (size_t i = 0; i < count && err == 0; i++) {
        judge_runs(c, &trials[i], pass.fastest_task_cpu);
        err = summarize(c, &trials[i], &c->results[i], failed_call);
        /* The first strategy's answer is the reference the others must match. */
        if (c->results[i].checksum != c->results[0].checksum)
            c->results[i].checksum_ok = false;
    }
    return err;
}

int harness_compare(const struct harness_plan *plan, const struct workload *w, struct comparison *out,
                    const char **failed_call)
{
    memset(out, 0, sizeof *out);
    out->workload = *w;
    out->ntasks = plan->ntasks;
    out->warmup = plan->warmup;
    out->runs = plan->runs;
    struct machine *m = malloc(sizeof *m);
    struct trials *trials = calloc(HARNESS_MAX_STRATEGIES, sizeof *trials);
    int err = m == NULL || trials == NULL ? -ENOMEM : machine_read(m);
    if (err != 0) {
        *failed_call = err == -ENOMEM ? "malloc" : "sched_getaffinity";
        free(m);
        free(trials);
        return err;
    }
    out->cpus = m->allowed;
    out->cores = machine_count_cores(m, &out->cpus);
    out->efficiency = 0;
    for (size_t i = 0; i < out->cpus.count; i++)
        out->efficiency += (size_t)cpu_list_contains(&m->efficiency, out->cpus.ids[i]);
    out->quota = m->quota;
    out->boost = m->boost;
    out->expected_result = w->kind->expected != NULL ? w->kind->expected(w, plan->ntasks) : 0;
    out->strategy_context = plan->strategy_context;
    if (out->strategy_context.workers == 0) /* "one per CPU": say how many, as the strategy will */
        out->strategy_context.workers = out->cpus.count > 0 ? out->cpus.count : 1;
    struct surroundings around = {.cpus = &out->cpus, .quota_dir = m->quota_dir};
    err = measure_all(plan, w, out, &around, trials, failed_call);
    if (err != 0)
        harness_free(out);
    for (size_t i = 0; i < HARNESS_MAX_STRATEGIES; i++) {
        free(trials[i].runs);
        free(trials[i].spans);
    }
    free(trials);
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
    if (!workload_computes(&c->workload))
        return tasks;
    return tasks < capacity ? tasks : capacity;
}

bool harness_can_speed_up(const struct comparison *c, const struct strategy *s)
{
    return workload_computes(&c->workload) ? s->computes_in_parallel : s->overlaps_waiting;
}

double harness_ideal_speedup(const struct comparison *c, const struct measurement *m)
{
    if (!harness_can_speed_up(c, m->strategy))
        return 1.0;
    size_t workers = workers_of(m->strategy, &c->strategy_context, c->cpus.count);
    if (workers > 0) { /* shared workers: the busiest one sets the pace */
        double tasks = (double)c->ntasks, cpus = parallel_capacity(c);
        double busiest = ceil(tasks / (double)workers);
        double pace = workload_computes(&c->workload) && tasks / cpus > busiest ? tasks / cpus : busiest;
        return tasks / pace;
    }
    return harness_best_ideal(c);
}

double harness_speedup(const struct comparison *c, const struct measurement *m)
{
    const struct measurement *base = harness_find(c, "sequential");
    return base != NULL ? stats_speedup(base->wall, m->wall) : 0.0;
}

double harness_estimate_run(const struct strategy *s, const struct strategy_context *context,
                            const struct workload *w, size_t ntasks, double capacity)
{
    double tasks = (double)ntasks, starting = tasks * s->start_cost;
    if (context->serial_part != NULL)
        starting += context->serial_part->seconds; /* one thread, before the tasks */
    if (ntasks == 0)
        return 0.0;
    size_t cpus = capacity > 1.0 ? (size_t)ceil(capacity) : 1; /* "one per CPU", as near as a plan knows */
    size_t at_once = tasks_at_once(s, context, ntasks, cpus);
    if (!workload_computes(w)) {
        if (!s->overlaps_waiting)
            return starting + tasks * w->seconds;
        return starting + ceil(tasks / (double)at_once) * w->seconds; /* rounds of waits */
    }
    if (!s->computes_in_parallel)
        return starting + tasks * w->seconds;
    /* As harness_ideal_speedup: the busiest worker, or the CPUs, set the pace. */
    double rounds = ceil(tasks / (double)at_once), shared = tasks / (capacity > 0.0 ? capacity : 1.0);
    return starting + (rounds > shared ? rounds : shared) * w->seconds;
}

double harness_estimate(const struct harness_plan *plan, const struct workload *w, double capacity)
{
    double total = 0.0;
    int times = plan->warmup + (plan->runs > 1 ? plan->runs : 1);
    for (size_t i = 0; i < plan->count; i++)
        total += (double)times * harness_estimate_run(plan->strategies[i], &plan->strategy_context, w,
                                                      plan->ntasks, capacity);
    return total;
}
