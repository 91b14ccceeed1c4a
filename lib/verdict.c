#include "verdict.h"

#include "i18n.h"
#include "stats.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

double verdict_speedup(const struct comparison *c)
{
    double lowest = 0.0;
    for (size_t i = 0; i < c->count; i++) {
        const struct measurement *m = &c->results[i];
        double speedup = harness_speedup(c, m);
        if (harness_can_speed_up(c, m->strategy) && speedup > 0.0 && (lowest == 0.0 || speedup < lowest))
            lowest = speedup;
    }
    return lowest;
}

double verdict_lesson_efficiency(const struct workload_kind *kind)
{
    return kind->computes ? VERDICT_LESSON_EFFICIENCY : VERDICT_WAITING_EFFICIENCY;
}

/* A speedup as the verdict prints it: cut, never rounded up, to 2 places. */
static double shown(double speedup)
{
    return stats_round_down(speedup, 2);
}

/* The ideal the verdict holds the speedup to: the lowest among the
 * strategies that can speed up, as verdict_speedup takes their lowest
 * speedup. It is harness_best_ideal unless a strategy deals out the tasks
 * in fixed shares (mpi_cpu). */
static double lowest_ideal(const struct comparison *c)
{
    double lowest = harness_best_ideal(c);
    for (size_t i = 0; i < c->count; i++)
        if (harness_can_speed_up(c, c->results[i].strategy)) {
            double ideal = harness_ideal_speedup(c, &c->results[i]);
            lowest = ideal < lowest ? ideal : lowest;
        }
    return lowest;
}

/* ---- the causes, in order ---------------------------------------------- */

static bool quota_limits(const struct comparison *c, char *buf, size_t size)
{
    if (!workload_computes(&c->workload) || c->quota <= QUOTA_NONE)
        return false;
    long throttled = 0;
    for (size_t i = 0; i < c->count; i++)
        if (c->results[i].load.throttled_periods > 0)
            throttled += c->results[i].load.throttled_periods;
    if (throttled == 0 && c->quota >= (double)c->cpus.count)
        return false;
    char quota[32];
    machine_quota_text(c->quota, quota, sizeof quota);
    if (throttled > 0)
        snprintf(buf, size, _("the CPU quota allows %s CPUs' worth: throttled %ld times"), quota, throttled);
    else
        snprintf(buf, size, _("the CPU quota allows %s CPUs' worth, not %zu"), quota, c->cpus.count);
    return true;
}

/* The share of a CPU that row `m`'s runs lost to other programs (or to
 * steal), or 0 when it was not measured or is within /proc/stat's ticks. */
static double share_taken(const struct measurement *m, bool steal)
{
    double taken = steal ? m->load.steal : m->load.others_cpu;
    if (!m->load.cpus_known || m->wall_total <= 0.0 || taken < VERDICT_MEASURABLE_S)
        return 0.0;
    return taken / m->wall_total;
}

/* The strategy whose runs lost the largest share of a CPU to other
 * programs (or to steal), and that share. */
static const struct measurement *most_taken(const struct comparison *c, bool steal, double *share)
{
    const struct measurement *worst = NULL;
    *share = 0.0;
    for (size_t i = 0; i < c->count; i++)
        if (share_taken(&c->results[i], steal) > *share) {
            *share = share_taken(&c->results[i], steal);
            worst = &c->results[i];
        }
    return worst;
}

static bool others_took_cpus(const struct comparison *c, char *buf, size_t size)
{
    double share;
    const struct measurement *m = most_taken(c, false, &share);
    if (m == NULL || share < VERDICT_OTHERS_SHARE)
        return false;
    snprintf(buf, size, _("other programs took %.2f CPUs during %s (/proc/stat)"), share, m->strategy->name);
    return true;
}

static bool steal_took_cpus(const struct comparison *c, char *buf, size_t size)
{
    double share;
    const struct measurement *m = most_taken(c, true, &share);
    if (m == NULL || share < VERDICT_STEAL_SHARE)
        return false;
    snprintf(buf, size, _("the hypervisor gave %.2f CPUs to other machines (steal)"), share);
    return true;
}

/* One task's seconds: what it was sized for, or, for work given only as a
 * count (units, no seconds), its share of the sequential run; 0 when neither. */
static double task_seconds(const struct comparison *c)
{
    const struct measurement *alone = harness_find(c, "sequential");
    if (c->workload.seconds > 0.0 || alone == NULL || c->ntasks == 0)
        return c->workload.seconds;
    return alone->wall / (double)c->ntasks;
}

/* Starting every worker one after another costs ntasks x start_cost before
 * the last task can begin. */
static bool tasks_too_short(const struct comparison *c, char *buf, size_t size)
{
    double task = task_seconds(c);
    for (size_t i = 0; i < c->count; i++) {
        const struct strategy *s = c->results[i].strategy;
        double start_up = (double)c->ntasks * s->start_cost;
        if (harness_can_speed_up(c, s) && task > 0.0 && start_up > VERDICT_SHORT_SHARE * task) {
            snprintf(buf, size, _("tasks of %g s are short: starting %zu workers takes ~%.2g s (spawn_cost)"),
                     task, c->ntasks, start_up);
            return true;
        }
    }
    return false;
}

static bool hyperthreads_share(const struct comparison *c, char *buf, size_t size)
{
    if (!workload_computes(&c->workload) || c->cores <= 0 || c->ntasks <= (size_t)c->cores ||
        c->cpus.count <= (size_t)c->cores)
        return false;
    double low = c->cores, high = fmin(c->cores * (1.0 + VERDICT_SMT_GAIN), harness_best_ideal(c));
    snprintf(buf, size, _("%zu tasks on %d cores: 2 threads share a core, expect %.1f-%.1fx"), c->ntasks,
             c->cores, low, high);
    return true;
}

/* On a hybrid CPU (performance and efficiency cores), more computing tasks
 * than performance CPUs: the rest ran on efficiency cores, which compute
 * more slowly, so the tasks on them finish last. */
static bool efficiency_cores_slower(const struct comparison *c, char *buf, size_t size)
{
    size_t performance = c->cpus.count - c->efficiency;
    if (!workload_computes(&c->workload) || c->efficiency == 0 || performance == 0 ||
        c->ntasks <= performance)
        return false;
    snprintf(buf, size, _("%zu of these %zu CPUs are efficiency cores: slower, so expect less"),
             c->efficiency, c->cpus.count);
    return true;
}

static bool clock_slowed(const struct comparison *c, char *buf, size_t size)
{
    const struct measurement *alone = harness_find(c, "sequential");
    if (!workload_computes(&c->workload) || alone == NULL || alone->spans == NULL)
        return false;
    double base = harness_mean_task_cpu(alone->spans, c->ntasks);
    for (size_t i = 0; i < c->count && base > 0.0; i++) {
        const struct measurement *m = &c->results[i];
        if (m == alone || !m->strategy->computes_in_parallel || m->spans == NULL)
            continue;
        double more = harness_mean_task_cpu(m->spans, c->ntasks) / base - 1.0;
        if (more > VERDICT_SLOWER_CLOCK) {
            snprintf(buf, size, _("%s tasks took %.0f%% more CPU time than alone: a slower clock"),
                     m->strategy->name, 100.0 * more);
            return true;
        }
    }
    return false;
}

/* No run of a row was fair: in each, a task waited for a CPU or started
 * late (the harness set no run aside, having none fair to keep). */
static bool tasks_waited(const struct comparison *c, char *buf, size_t size)
{
    for (size_t i = 0; i < c->count; i++) {
        const struct measurement *m = &c->results[i];
        if (m->disturbed & (DISTURB_WAITED | DISTURB_LATE)) {
            snprintf(buf, size, _("in each of its %d runs a %s task %s"), m->runs, m->strategy->name,
                     m->disturbed & DISTURB_WAITED ? _("waited for a CPU while open")
                                                   : _("started or ended late"));
            return true;
        }
    }
    return false;
}

enum verdict_cause verdict_cause(const struct comparison *c, char *buf, size_t size)
{
    static const struct {
        enum verdict_cause cause;
        bool (*applies)(const struct comparison *c, char *buf, size_t size);
    } order[] = {
        {CAUSE_QUOTA, quota_limits},
        {CAUSE_OTHERS, others_took_cpus},
        {CAUSE_STEAL, steal_took_cpus},
        {CAUSE_TOO_SHORT, tasks_too_short},
        {CAUSE_EFFICIENCY, efficiency_cores_slower},
        {CAUSE_HYPERTHREADS, hyperthreads_share},
        {CAUSE_SLOWER_CLOCK, clock_slowed},
        {CAUSE_WAITED, tasks_waited},
    };
    for (size_t i = 0; i < sizeof order / sizeof order[0]; i++)
        if (order[i].applies(c, buf, size))
            return order[i].cause;
    snprintf(buf, size, _("nothing measured explains it: rerun with --runs 5"));
    return CAUSE_NONE;
}

/* (max - min) / median of a row's runs. */
static double spread(const struct measurement *m)
{
    return m->wall > 0.0 ? (m->wall_max - m->wall_min) / m->wall : 0.0;
}

/* Is row `m` what the machine cannot do: over its ideal by more than the
 * runs' spread, or computing on one CPU's worth outside 0.95-1.05x? */
static bool impossible(const struct comparison *c, const struct measurement *m)
{
    const struct measurement *alone = harness_find(c, "sequential");
    double speedup = harness_speedup(c, m), ideal = harness_ideal_speedup(c, m);
    if (alone == NULL || m == alone || speedup <= 0.0)
        return false;
    double noise = fmax(VERDICT_PINNED_BAND, spread(m) + spread(alone));
    bool one_cpu = c->cpus.count == 1 || (c->quota > QUOTA_NONE && c->quota <= 1.0);
    bool pinned_compute = workload_computes(&c->workload) && one_cpu && c->ntasks > 1 &&
                          fabs(speedup - 1.0) > VERDICT_PINNED_BAND;
    return speedup / ideal > 1.0 + noise || pinned_compute;
}

bool verdict_impossible_row(const struct comparison *c, char *buf, size_t size)
{
    for (size_t i = 0; i < c->count; i++) {
        const struct measurement *m = &c->results[i];
        if (impossible(c, m)) {
            char on[32];
            snprintf(buf, size, _("%s %.2fx on %s?! (ideal %gx)"), m->strategy->name,
                     shown(harness_speedup(c, m)), i18n_count_cpus(c->cpus.count, on, sizeof on),
                     harness_ideal_speedup(c, m));
            return true;
        }
    }
    return false;
}

unsigned verdict_row_flags(const struct comparison *c, const struct measurement *m)
{
    unsigned flags = 0;
    if (share_taken(m, false) >= VERDICT_OTHERS_SHARE)
        flags |= FLAG_OTHERS;
    if (share_taken(m, true) >= VERDICT_STEAL_SHARE)
        flags |= FLAG_STEAL;
    if (m->load.throttled_periods > 0)
        flags |= FLAG_THROTTLED;
    if (impossible(c, m))
        flags |= FLAG_IMPOSSIBLE;
    double speedup = harness_speedup(c, m), ideal = harness_ideal_speedup(c, m);
    if (ideal > 1.0 && speedup > 0.0 && speedup < verdict_lesson_efficiency(c->workload.kind) * ideal)
        flags |= FLAG_SHORT;
    if (m->disturbed & DISTURB_WAITED)
        flags |= FLAG_WAITED;
    if (m->disturbed & DISTURB_LATE)
        flags |= FLAG_LATE;
    if (m->disturbed & DISTURB_SLOWED)
        flags |= FLAG_SLOWED;
    return flags;
}

/* ---- the sentences ------------------------------------------------------- */

/* "LABEL: ROW -> not the lesson: CAUSE" when a row of `c` is one the machine
 * cannot produce; the row led by the kind's name when the label is not it. */
static bool said_not_the_lesson(const struct comparison *c, const char *label, char *buf, size_t size)
{
    char row[96], what[160], why[VERDICT_SIZE];
    if (!verdict_impossible_row(c, row, sizeof row))
        return false;
    const char *kind = c->workload.kind->name;
    if (strcmp(label, kind) == 0)
        snprintf(what, sizeof what, "%s", row);
    else
        snprintf(what, sizeof what, "%s %s", kind, row);
    enum verdict_cause cause = verdict_cause(c, why, sizeof why);
    snprintf(buf, size, _("%s: %s -> not the lesson: %s"), label, what,
             cause == CAUSE_NONE ? _("a noisy run, rerun with --runs 5") : why);
    return true;
}

bool verdict_not_the_lesson(const struct comparison *c, char *buf, size_t size)
{
    return said_not_the_lesson(c, c->workload.kind->name, buf, size);
}

void verdict_single(const struct comparison *c, char *buf, size_t size)
{
    const char *kind = c->workload.kind->name;
    double speedup = shown(verdict_speedup(c)), ideal = lowest_ideal(c);
    size_t cpus = c->cpus.count;
    char why[VERDICT_SIZE], on[32];
    enum verdict_cause cause = verdict_cause(c, why, sizeof why);
    i18n_count_cpus(cpus, on, sizeof on);
    if (verdict_speedup(c) == 0.0) /* not the shown one: under 0.01x prints 0.00x, and is measured */
        snprintf(buf, size, _("%s: no speedup to judge (it needs sequential and one other strategy)"), kind);
    else if (verdict_not_the_lesson(c, buf, size))
        return;
    else if (workload_computes(&c->workload) && c->ntasks < 2)
        snprintf(buf, size, _("%s: %.2fx with 1 task -> nothing to run in parallel: try --tasks 2"), kind,
                 speedup);
    else if (workload_computes(&c->workload) && cpus < 2)
        snprintf(buf, size, _("%s: %.2fx on 1 CPU -> one CPU computes one task at a time: no speedup"), kind,
                 speedup);
    else if (cause == CAUSE_QUOTA) /* the quota, not the CPUs, sets the ideal: say so either way */
        snprintf(buf, size, _("%s: %.2fx on %s (ideal %gx) -> %s"), kind, speedup, on, ideal, why);
    else if (speedup >= verdict_lesson_efficiency(c->workload.kind) * ideal)
        snprintf(buf, size, _("%s: %.2fx on %s (ideal %gx) -> %s"), kind, speedup, on, ideal,
                 workload_computes(&c->workload) ? _("the tasks computed in parallel")
                                                 : _("the waiting overlapped"));
    else
        snprintf(buf, size, _("%s: only %.2fx of an ideal %gx on %s -> %s"), kind, speedup, ideal, on, why);
}

static void verdict_versus_sleep(const struct comparison *all, const struct comparison *one, double on_one,
                                 double on_all, char *buf, size_t size)
{
    double ideal = harness_best_ideal(all);
    size_t cpus = all->cpus.count;
    char measured[64], why[VERDICT_SIZE];
    if (cpus < 2) /* "all" was one CPU too: say it once */
        snprintf(measured, sizeof measured, _("sleep: %.2fx on 1 CPU"), on_one);
    else
        snprintf(measured, sizeof measured, _("sleep: %.2fx on 1 CPU, %.2fx on %zu CPUs"), on_one, on_all,
                 cpus);
    /* Both passes must show it: the lesson is that one CPU is enough. */
    const struct comparison *worse = on_one <= on_all ? one : all;
    if (verdict_not_the_lesson(one, buf, size) || verdict_not_the_lesson(all, buf, size))
        return;
    if (fmin(on_one, on_all) >= VERDICT_WAITING_EFFICIENCY * ideal)
        snprintf(buf, size, _("%s -> the waiting overlaps: concurrency is enough"), measured);
    else {
        verdict_cause(worse, why, sizeof why);
        snprintf(buf, size, _("%s -> short of the ideal %.0fx: %s"), measured, ideal, why);
    }
}

static void verdict_versus_cpu(const struct comparison *all, const struct comparison *one, double on_one,
                               double on_all, char *buf, size_t size)
{
    double ideal = harness_best_ideal(all);
    size_t cpus = all->cpus.count;
    char why[VERDICT_SIZE];
    if (cpus < 2)
        snprintf(buf, size, _("cpu: %.2fx on 1 CPU -> only 1 CPU is allowed: no parallelism to show"),
                 on_one);
    else if (ideal < 2.0 && all->ntasks < 2)
        snprintf(buf, size,
                 _("cpu: %.2fx on 1 CPU, %.2fx on %zu CPUs -> with 1 task there is nothing "
                   "to run in parallel: try --tasks %zu"),
                 on_one, on_all, cpus, cpus);
    else if (verdict_cause(all, why, sizeof why) == CAUSE_QUOTA) /* the quota, not the CPUs, sets the pace */
        snprintf(buf, size, _("cpu: %.2fx on 1 CPU, %.2fx on %zu CPUs -> %s"), on_one, on_all, cpus, why);
    else if (verdict_not_the_lesson(one, buf, size) || verdict_not_the_lesson(all, buf, size))
        return;
    else if (on_all >= VERDICT_LESSON_EFFICIENCY * ideal)
        snprintf(buf, size,
                 _("cpu: %.2fx on 1 CPU, %.2fx on %zu CPUs -> only parallelism speeds up "
                   "computing"),
                 on_one, on_all, cpus);
    else {
        verdict_cause(all, why, sizeof why);
        snprintf(buf, size, _("cpu: %.2fx on 1 CPU, %.2fx on %zu CPUs -> short of the ideal %.2gx: %s"),
                 on_one, on_all, cpus, ideal, why);
    }
}

void verdict_versus(const struct comparison *all, const struct comparison *one, char *buf, size_t size)
{
    double on_all = shown(verdict_speedup(all)), on_one = shown(verdict_speedup(one));
    if (verdict_speedup(all) == 0.0 || verdict_speedup(one) == 0.0)
        snprintf(buf, size, _("%s: no speedup to judge (it needs sequential and one other strategy)"),
                 all->workload.kind->name);
    else if (!workload_computes(&all->workload))
        verdict_versus_sleep(all, one, on_one, on_all, buf, size);
    else
        verdict_versus_cpu(all, one, on_one, on_all, buf, size);
}

/* The speedup of strategy `name` in c, or 0 if not measured. */
static double measured_speedup(const struct comparison *c, const char *name)
{
    const struct measurement *m = harness_find(c, name);
    return m != NULL ? harness_speedup(c, m) : 0.0;
}

/* The same, cut to 2 places as printed. */
static double speedup_of(const struct comparison *c, const char *name)
{
    return shown(measured_speedup(c, name));
}

static void gil_sleep_verdict(const struct comparison *sleeping, double gil_sleep, char *buf, size_t size)
{
    char why[VERDICT_SIZE];
    if (verdict_not_the_lesson(sleeping, buf, size))
        return; /* a row the machine cannot produce: said instead of the lesson */
    if (gil_sleep >= VERDICT_WAITING_EFFICIENCY * (double)sleeping->ntasks) {
        snprintf(buf, size,
                 _("sleep: threads+gil %.2fx -> the lock is let go while waiting: waits still overlap"),
                 gil_sleep);
        return;
    }
    verdict_cause(sleeping, why, sizeof why);
    snprintf(buf, size, _("sleep: threads+gil only %.2fx of %zux -> %.*s"), gil_sleep, sleeping->ntasks,
             i18n_bytes_within(why, 100), why);
}

/* The lesson needs both halves: threads+gil near 1x *and* the strategies
 * without the lock near the CPU count. A gil row of 1x beside processes at
 * 1.6x of 2x shows a slow machine, not the lock. */
static void gil_cpu_verdict(const struct comparison *computing, double gil_cpu, char *buf, size_t size)
{
    double threads = speedup_of(computing, "threads"), processes = speedup_of(computing, "processes");
    double parallel = shown(verdict_speedup(computing)), best = harness_best_ideal(computing);
    char why[VERDICT_SIZE];
    if (computing->cpus.count < 2 || computing->ntasks < 2)
        snprintf(buf, size,
                 _("cpu: threads+gil %.2fx -> with 1 CPU or 1 task nothing could compute in parallel anyway"),
                 gil_cpu);
    else if (verdict_not_the_lesson(computing, buf, size))
        ; /* threads+gil over 1x is what one lock cannot give: what else ran is named */
    else if (gil_cpu >= VERDICT_NO_SPEEDUP) {
        if (verdict_cause(computing, why, sizeof why) != CAUSE_NONE) /* a busy machine, not the lock */
            snprintf(buf, size, _("cpu: threads+gil %.2fx?! -> not the lesson: %.*s"), gil_cpu,
                     i18n_bytes_within(why, 100), why);
        else
            snprintf(buf, size,
                     _("cpu: threads+gil %.2fx?! -> more than one thread computed at once: the lock is not "
                       "doing its job"),
                     gil_cpu);
    } else if (verdict_speedup(computing) > 0.0 && parallel < VERDICT_LESSON_EFFICIENCY * best) {
        verdict_cause(computing, why, sizeof why);
        snprintf(buf, size, _("cpu: threads+gil %.2fx, but without the lock only %.2fx of %gx -> %.*s"),
                 gil_cpu, parallel, best, i18n_bytes_within(why, 100), why);
    } else if (verdict_speedup(computing) == 0.0) /* only threads+gil was measured */
        snprintf(buf, size, _("cpu: threads+gil %.2fx -> one lock, one computing thread"), gil_cpu);
    else
        snprintf(
            buf, size,
            _("cpu: threads+gil %.2fx, threads %.2fx, processes %.2fx -> one lock, one computing thread: "
              "processes each have their own"),
            gil_cpu, threads, processes);
}

void verdict_gil(const struct comparison *sleeping, const struct comparison *computing, char *sleep_buf,
                 char *cpu_buf, size_t size)
{
    double gil_sleep = speedup_of(sleeping, "threads+gil"), gil_cpu = speedup_of(computing, "threads+gil");
    if (measured_speedup(sleeping, "threads+gil") == 0.0 ||
        measured_speedup(computing, "threads+gil") == 0.0) {
        snprintf(sleep_buf, size, _("gil: nothing to judge (measure sequential and threads+gil)"));
        snprintf(cpu_buf, size, _("gil: see the tables"));
        return;
    }
    gil_sleep_verdict(sleeping, gil_sleep, sleep_buf, size);
    gil_cpu_verdict(computing, gil_cpu, cpu_buf, size);
}

/* ---- race: tasks that share one counter ---------------------------------- */

/* The share of the expected count a row's median run lost, in percent. */
static double lost_percent(const struct comparison *c, const struct measurement *m)
{
    if (c->expected_result == 0 || m->result >= c->expected_result)
        return 0.0;
    return 100.0 * (double)(c->expected_result - m->result) / (double)c->expected_result;
}

/* "threads 43%", "threads some in 1 of 3 runs" or "threads none",
 * appended to buf after `sep`. Returns whether the row lost any. */
static bool say_lost(const struct comparison *c, const char *name, const char *sep, char *buf, size_t size)
{
    const struct measurement *m = harness_find(c, name);
    if (m == NULL)
        return false;
    size_t used = strlen(buf);
    double percent = lost_percent(c, m);
    if (percent > 0.0)
        snprintf(buf + used, size - used, _("%s%s %.0f%%"), sep, name,
                 fmax(1.0, stats_round_down(percent, 0)));
    else if (m->wrong_results > 0)
        snprintf(buf + used, size - used, _("%s%s some in %d of %d runs"), sep, name, m->wrong_results,
                 m->runs);
    else
        snprintf(buf + used, size - used, _("%s%s none"), sep, name);
    return m->wrong_results > 0;
}

void verdict_race_lost(const struct comparison *unsynchronized, char *buf, size_t size)
{
    char rows[VERDICT_SIZE] = "";
    bool lost = say_lost(unsynchronized, "threads", "", rows, sizeof rows);
    lost = say_lost(unsynchronized, "processes", rows[0] != '\0' ? ", " : "", rows, sizeof rows) || lost;
    if (rows[0] == '\0')
        snprintf(buf, size, _("unsynchronized: nothing to judge (measure threads or processes)"));
    else if (lost)
        snprintf(buf, size,
                 _("unsynchronized: additions lost: %s -> counter++ is three steps (load, add, "
                   "store): an addition made between another task's load and store is lost"),
                 rows);
    else
        snprintf(buf, size,
                 _("unsynchronized: additions lost: %s -> none this time: the tasks barely overlapped "
                   "(run it again, or with more --seconds)"),
                 rows);
}

/* The speedup of threads (else processes) in `c`, cut as printed, and
 * which it was; 0 when neither was measured beside sequential. */
static double sharing_speedup(const struct comparison *c, const char **which)
{
    *which = measured_speedup(c, "threads") > 0.0 ? "threads" : "processes";
    return speedup_of(c, *which);
}

void verdict_race_cost(const struct comparison *mutex, const struct comparison *atomic,
                       const struct comparison *per_task, char *buf, size_t size)
{
    const char *which = NULL;
    double locked = sharing_speedup(mutex, &which), atomically = sharing_speedup(atomic, &which),
           own = sharing_speedup(per_task, &which);
    const struct measurement *m = harness_find(per_task, which);
    if (locked == 0.0 || atomically == 0.0 || own == 0.0 || m == NULL) {
        snprintf(buf, size, _("sharing: nothing to judge (measure sequential and threads or processes)"));
        return;
    }
    char head[VERDICT_SIZE], why[VERDICT_SIZE];
    snprintf(head, sizeof head, _("%s: mutex %.2fx, atomic %.2fx, per-task %.2fx with %zu tasks"), which,
             locked, atomically, own, per_task->ntasks);
    double ideal = harness_ideal_speedup(per_task, m);
    if (ideal < 2.0)
        snprintf(buf, size, _("%s -> on 1 CPU no way speeds up; each costs what the table shows"), head);
    else if (verdict_not_the_lesson(per_task, why, sizeof why))
        snprintf(buf, size, "%s -> %s", head, why);
    else if (own < VERDICT_LESSON_EFFICIENCY * ideal) {
        verdict_cause(per_task, why, sizeof why);
        snprintf(buf, size, _("%s -> per-task short of its %.0fx: %s"), head, ideal, why);
    } else if (fmax(locked, atomically) < VERDICT_NO_SPEEDUP)
        snprintf(buf, size,
                 _("%s -> one shared counter makes the tasks take turns; a counter per task does not"), head);
    else
        snprintf(buf, size, _("%s -> sharing one counter costs; a counter per task is the fastest"), head);
}

void verdict_race_serial(const struct comparison *mutex, const struct comparison *atomic, char *buf,
                         size_t size)
{
    const char *which = NULL;
    double locked = sharing_speedup(mutex, &which), atomically = sharing_speedup(atomic, &which);
    const struct measurement *m = harness_find(mutex, which);
    if (locked == 0.0 || atomically == 0.0 || m == NULL) {
        snprintf(buf, size,
                 _("serial fraction: nothing to judge (measure sequential and threads or processes)"));
        return;
    }
    double workers = harness_ideal_speedup(mutex, m);
    if (workers < 2.0) {
        snprintf(buf, size, _("serial fraction: on 1 CPU every way runs one task at a time"));
        return;
    }
    /* Karp-Flatt (note 14): the serial share that would explain the speedup. */
    double locked_share = stats_karp_flatt(locked, workers),
           atomic_share = stats_karp_flatt(atomically, workers);
    char head[VERDICT_SIZE];
    snprintf(head, sizeof head, _("%s: serial fraction (Karp-Flatt) mutex %.2f, atomic %.2f"), which,
             locked_share, atomic_share);
    if (fmin(locked_share, atomic_share) > 1.0)
        snprintf(buf, size,
                 _("%s -> over 1: slower than one task alone; the tasks take turns, and the counter's cache "
                   "line moves between CPUs at each addition"),
                 head);
    else if (fmax(locked_share, atomic_share) > 1.0)
        snprintf(
            buf, size,
            _("%s -> over 1: slower than one task alone; under 1: that share of the work ran one task at "
              "a time"),
            head);
    else if (fmax(locked_share, atomic_share) >= 0.5)
        snprintf(buf, size,
                 _("%s -> that share of the work ran one task at a time: a shared counter is a serial "
                   "section (Amdahl's f)"),
                 head);
    else
        snprintf(buf, size, _("%s -> little ran one at a time: the tasks seldom met at the counter"), head);
}

void verdict_race_pinned(const struct comparison *pinned, char *buf, size_t size)
{
    const struct measurement *m = pinned->count > 0 ? &pinned->results[0] : NULL;
    if (m == NULL)
        snprintf(buf, size, _("on 1 CPU: nothing to judge"));
    else if (m->wrong_results > 0)
        snprintf(buf, size,
                 _("on 1 CPU: additions lost in %d of %d runs -> a race needs only concurrency: a "
                   "switch between a task's load and its store is enough"),
                 m->wrong_results, m->runs);
    else
        snprintf(buf, size,
                 _("on 1 CPU: no addition lost in %d runs -> there a task must be switched out between "
                   "its load and its store: rarer, not impossible"),
                 m->runs);
}

void verdict_race_private(const struct comparison *private_memory, char *buf, size_t size)
{
    const struct measurement *threads = harness_find(private_memory, "threads"),
                             *processes = harness_find(private_memory, "processes");
    uint64_t expected = private_memory->expected_result;
    if (processes == NULL || expected == 0)
        snprintf(buf, size, _("own memory: nothing to judge (measure processes)"));
    else if (processes->result == 0)
        snprintf(buf, size,
                 _("own memory: processes counted 0 of %llu%s -> processes share nothing unless asked: "
                   "each child added to its own copy"),
                 (unsigned long long)expected,
                 threads != NULL && threads->result == expected ? _(", threads all of them") : "");
    else
        snprintf(buf, size, _("own memory: processes counted %llu of %llu?! -> not the lesson: a bug"),
                 (unsigned long long)processes->result, (unsigned long long)expected);
}

/* ---- false sharing: counters of one's own, in one cache line or apart ---- */

/* How many times longer adjacent took than padded with `name`, or 0. */
static double slower_by(const struct comparison *padded, const struct comparison *adjacent, const char *name)
{
    const struct measurement *p = harness_find(padded, name), *a = harness_find(adjacent, name);
    return p != NULL && a != NULL && p->wall > 0.0 ? a->wall / p->wall : 0.0;
}

void verdict_false_sharing(const struct comparison *padded_all, const struct comparison *adjacent_all,
                           const struct comparison *padded_one, const struct comparison *adjacent_one,
                           char *buf, size_t size)
{
    double all = slower_by(padded_all, adjacent_all, "threads"),
           one = slower_by(padded_one, adjacent_one, "threads");
    size_t cpus = padded_all->cpus.count;
    char why[VERDICT_SIZE];
    const struct comparison *each[] = {padded_all, adjacent_all, padded_one, adjacent_one};
    if (all == 0.0 || one == 0.0) {
        snprintf(buf, size, _("false sharing: nothing to judge (measure threads)"));
        return;
    }
    /* A row the machine cannot produce is said instead of the lesson, under
     * the lesson's label ("threads:"): the notes' check compares labels. */
    for (size_t i = 0; i < 4; i++)
        if (said_not_the_lesson(each[i], "threads", buf, size))
            return;
    if (cpus < 2)
        snprintf(buf, size,
                 _("threads: adjacent %.2fx the time of padded on 1 CPU -> false sharing needs two CPUs "
                   "writing one cache line"),
                 all);
    else if (all >= VERDICT_NO_SPEEDUP && one < VERDICT_NO_SPEEDUP)
        snprintf(buf, size,
                 _("threads: adjacent %.2fx the time of padded on %zu CPUs, %.2fx on 1 CPU -> CPUs writing "
                   "one cache line pass it back and forth: false sharing"),
                 all, cpus, one);
    else if (all >= VERDICT_NO_SPEEDUP)
        snprintf(buf, size,
                 _("threads: adjacent %.2fx the time of padded on %zu CPUs, %.2fx on 1 CPU?! -> not the "
                   "lesson: one CPU should not care; a noisy run, rerun"),
                 all, cpus, one);
    else {
        verdict_cause(adjacent_all, why, sizeof why);
        snprintf(buf, size,
                 _("threads: adjacent %.2fx the time of padded on %zu CPUs -> no false sharing measured: %s"),
                 all, cpus, why);
    }
}
