/*
 * mpi_cpu: the cpu workload split across MPI ranks. mpirun starts the same
 * program several times (the ranks: processes, on one machine or several);
 * each rank runs its share of the tasks, and the answers meet in messages,
 * not in shared memory:
 *
 *   rank 0 calibrates the work once      MPI_Bcast   the units to every rank
 *   every rank runs tasks i % ranks == r
 *   the checksums                        MPI_Reduce  (a sum: workload_combine adds)
 *   each rank's CPU time                 MPI_Gather  to rank 0
 *   wall time                            MPI_Wtime   between two MPI_Barriers
 *
 * The sequential row is measured on rank 0 alone, while the other ranks
 * wait. The table is cpu's: the same workload, checksum and columns.
 *
 * Usage: mpirun -np 2 build/demos/mpi_cpu [--tasks N] [--seconds S] [--runs R] [--quick] [--json]
 *
 * Started without mpirun it says how to start it and exits 2.
 * notes/15-mpi.md walks through a run, and through a run on two machines.
 */
#include "demo.h"
#include "output.h"
#include "progress.h"
#include "report.h"
#include "stats.h"

#include <errno.h>
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* The row for the ranks: a strategy in name only, since mpirun, not a
 * function, starts the ranks. Every rank computes at once, on its own CPU. */
static const struct strategy mpi_ranks = {
    .name = "mpi",
    .explains = N_("ranks started by mpirun, each running its share of the tasks"),
    .overlaps_waiting = true,
    .computes_in_parallel = true,
    .workers = STRATEGY_WORKERS_FIXED, /* rank r gets tasks r, r + ranks, ...: the comparison says how many */
};

static const struct strategy *const strategies[] = {&strategy_sequential, &mpi_ranks, NULL};

static const struct demo_info demo = {
    .name = "mpi_cpu",
    .summary = N_("Runs the cpu workload split across MPI ranks (start it with mpirun), beside a\n"
                  "sequential run on rank 0: the same table as cpu, with a row for the ranks.\n"
                  "Start it with: mpirun -np 2 build/demos/mpi_cpu"),
    .note = "notes/15-mpi.md",
    .default_tasks = 0, /* one task per rank */
    .default_seconds = 0.5,
    .quick_tasks = 0,
    .quick_seconds = 0.1,
    .default_strategies = "sequential",
    .harness = true,
    .shares_work = true,
    .strategies = strategies,
    .tasks_help = N_("how many tasks, shared among the ranks"),
    .default_tasks_help = N_("one per rank"),
    .no_strategies = true, /* the table is always sequential beside the ranks */
    .no_csv = true,        /* its JSON has ranks and tasks per rank, which CSV rows do not */
    .no_trace = true,      /* the ranks' clocks are not one clock */
};

static int rank, ranks;

/* mpirun (Open MPI's, or a PMI/PMIx launcher such as srun) tells its ranks
 * who they are in the environment. A program started by hand has none of it. */
static bool started_by_mpirun(void)
{
    return getenv("OMPI_COMM_WORLD_SIZE") != NULL || getenv("PMI_RANK") != NULL ||
           getenv("PMIX_RANK") != NULL;
}

/* A rank waiting in a blocking MPI call (MPI_Barrier, MPI_Bcast) spins at
 * 100% of a CPU, which would steal the CPU that rank 0 calibrates and
 * measures sequential on. So idle ranks start the non-blocking form and
 * nap a millisecond between checks that it is done. */
static bool still_waiting(MPI_Request *request)
{
    int done = 0;
    MPI_Test(request, &done, MPI_STATUS_IGNORE);
    if (!done)
        nanosleep(&(struct timespec){.tv_nsec = 1000L * 1000}, NULL);
    return !done;
}

static void barrier_politely(void)
{
    MPI_Request request;
    MPI_Ibarrier(MPI_COMM_WORLD, &request);
    while (still_waiting(&request))
        continue;
}

/* MPI_Bcast of one number from rank 0, politely. */
static void broadcast_politely(uint64_t *value)
{
    MPI_Request request;
    MPI_Ibcast(value, 1, MPI_UINT64_T, 0, MPI_COMM_WORLD, &request);
    while (still_waiting(&request))
        continue;
    /* Done, so this returns at once. clang's MPI checker wants every MPI_Ibcast
     * paired with a wait and does not count MPI_Test (nor know MPI_Ibarrier). */
    MPI_Wait(&request, MPI_STATUS_IGNORE);
}

/* One rank cannot go on alone: the others would wait for it for ever in
 * the next collective call. MPI_Abort stops every rank. */
static _Noreturn void out_of_memory(void)
{
    fprintf(stderr, "mpi_cpu: rank %d: calloc: %s\n", rank, strerror(ENOMEM));
    MPI_Abort(MPI_COMM_WORLD, 1);
    exit(1); /* MPI_Abort does not return; this says so to the compiler */
}

/* This process's CPU time so far (user + system), seconds. */
static double process_cpu(void)
{
    struct cpu_times t;
    return stopwatch_cpu(&t) == 0 ? t.user + t.sys : 0.0;
}

/* Where a rank runs: its host, and the CPUs it may use there (mpirun
 * usually binds each rank to a CPU of its own). */
struct place {
    char host[64];
    bool cpu[CPU_LIST_MAX];
};

/* How many hosts the ranks are on, and how many CPUs they may use in all:
 * per host, the CPUs any of its ranks may use. On rank 0, m->allowed
 * becomes the CPUs its host's ranks may use together, for the header. */
static void count_hosts(struct machine *m, int *hosts, int *cpus)
{
    struct place mine = {0};
    gethostname(mine.host, sizeof mine.host - 1);
    for (size_t i = 0; i < m->allowed.count; i++)
        mine.cpu[m->allowed.ids[i]] = true;
    struct place *all = rank == 0 ? calloc((size_t)ranks, sizeof *all) : NULL;
    if (rank == 0 && all == NULL)
        out_of_memory();
    MPI_Gather(&mine, sizeof mine, MPI_BYTE, all, sizeof mine, MPI_BYTE, 0, MPI_COMM_WORLD);
    *hosts = *cpus = 0;
    for (int i = 0; rank == 0 && all != NULL && i < ranks; i++) {
        int first = 0; /* the first rank on the same host keeps the host's CPUs */
        while (strcmp(all[first].host, all[i].host) != 0)
            first++;
        if (first == i)
            (*hosts)++;
        for (int c = 0; c < CPU_LIST_MAX; c++)
            if (all[i].cpu[c] && (first == i || !all[first].cpu[c])) {
                all[first].cpu[c] = true; /* a CPU of this host not counted yet */
                (*cpus)++;
            }
    }
    if (rank == 0 && all != NULL) {
        m->allowed.count = 0;
        for (int c = 0; c < CPU_LIST_MAX; c++)
            if (all[0].cpu[c])
                m->allowed.ids[m->allowed.count++] = c;
    }
    free(all);
}

/* One run on rank 0 alone; the other ranks wait for it. */
static void run_sequential(const struct workload *w, size_t ntasks, struct task_record *records, double *wall,
                           double *cpu, uint64_t *checksum)
{
    if (rank == 0) {
        double cpu_before = process_cpu(), start = MPI_Wtime(), offset = stopwatch_now();
        const char *failed_call = NULL;
        strategy_sequential.run(&(struct strategy_context){0}, w, ntasks, records,
                                &failed_call); /* cannot fail */
        *wall = MPI_Wtime() - start;
        *cpu = process_cpu() - cpu_before;
        *checksum = 0;
        for (size_t i = 0; i < ntasks; i++) {
            *checksum = workload_combine(*checksum, records[i].checksum);
            records[i].span.start -= offset;
            records[i].span.end -= offset;
        }
    }
    barrier_politely();
}

/* One run on every rank, each its share; rank 0 gets the wall time, every
 * rank's CPU time added up, the combined checksum, and every task's span. */
static void run_ranks(const struct workload *w, size_t ntasks, struct task_record *records, double *wall,
                      double *cpu, double *cpu_per_rank, uint64_t *checksum)
{
    struct span *mine = calloc(ntasks, sizeof *mine);
    if (mine == NULL)
        out_of_memory();
    uint64_t my_checksum = 0;
    MPI_Barrier(MPI_COMM_WORLD);
    double cpu_before = process_cpu(), start = MPI_Wtime(), offset = stopwatch_now();
    for (size_t i = (size_t)rank; i < ntasks; i += (size_t)ranks) {
        struct task_record record;
        strategy_run_task(w, i, &record);
        my_checksum = workload_combine(my_checksum, record.checksum);
        mine[i] = record.span;
        mine[i].start -= offset; /* from this rank's start: the barrier lines the ranks up */
        mine[i].end -= offset;
    }
    MPI_Barrier(MPI_COMM_WORLD);
    *wall = MPI_Wtime() - start;
    double my_cpu = process_cpu() - cpu_before;

    MPI_Reduce(&my_checksum, checksum, 1, MPI_UINT64_T, MPI_SUM, 0, MPI_COMM_WORLD);
    MPI_Gather(&my_cpu, 1, MPI_DOUBLE, cpu_per_rank, 1, MPI_DOUBLE, 0, MPI_COMM_WORLD);
    /* Each task's span is filled on one rank and all zero bytes on the
     * others, so a bitwise OR of the bytes brings every span to rank 0. */
    struct span *all = rank == 0 ? calloc(ntasks, sizeof *all) : NULL;
    if (rank == 0 && all == NULL)
        out_of_memory();
    MPI_Reduce(mine, all, (int)(ntasks * sizeof *mine), MPI_BYTE, MPI_BOR, 0, MPI_COMM_WORLD);
    if (rank == 0) {
        *cpu = 0.0;
        for (int r = 0; r < ranks; r++)
            *cpu += cpu_per_rank[r];
        for (size_t i = 0; all != NULL && i < ntasks; i++)
            records[i].span = all[i];
    }
    free(all);
    free(mine);
}

/* One row's measured runs, kept (on rank 0) until both rows have run,
 * and judged as lib/harness judges its runs (harness_disturbance): a run
 * in which a rank waited for its CPU, that ended later than one task
 * takes, or whose tasks needed more CPU time than the fastest run's is
 * set aside, and another run added. */
struct row {
    struct measurement *m;
    bool on_ranks;
    int measured, fair, cap; /* cap: runs it may reach in this pass */
    double *walls, *cpus;    /* per measured run, up to ALL_PASSES x runs */
    unsigned *disturbed;
    struct span *spans; /* ntasks per measured run */
};

/* As lib/harness: up to twice the runs at first, three times once both
 * rows have run (the disturbance may be over by then). */
#define FIRST_PASS 2
#define ALL_PASSES 3

/* What every run of both rows needs. `host` is NULL when the ranks run on
 * several hosts: then what else took the CPUs is unknown. */
struct bench {
    struct comparison *c;
    const struct options *opts;
    const struct machine *host;
    double *cpu_per_rank;    /* of the last run */
    double fastest_task_cpu; /* the lowest mean task CPU time of any run so far */
};

static void start_row(struct bench *b, struct row *row, bool on_ranks, struct measurement *m)
{
    size_t capacity = (size_t)(ALL_PASSES * b->opts->runs), ntasks = b->c->ntasks;
    *row = (struct row){.m = m, .on_ranks = on_ranks, .cap = FIRST_PASS * b->opts->runs};
    *m = (struct measurement){.strategy = on_ranks ? &mpi_ranks : &strategy_sequential, .checksum_ok = true};
    m->load = (struct load){.cpus_known = false, .throttled_periods = -1, .throttled = -1.0};
    row->walls = calloc(capacity, sizeof *row->walls);
    row->cpus = calloc(capacity, sizeof *row->cpus);
    row->disturbed = calloc(capacity, sizeof *row->disturbed);
    row->spans = calloc(capacity * ntasks, sizeof *row->spans);
    m->spans = calloc(ntasks, sizeof *m->spans);
    if (row->walls == NULL || row->cpus == NULL || row->disturbed == NULL || row->spans == NULL ||
        m->spans == NULL)
        out_of_memory();
}

static void free_row(struct row *row)
{
    free(row->walls);
    free(row->cpus);
    free(row->disturbed);
    free(row->spans);
}

/* Marks each run fair or not against the fastest task CPU time so far. */
static void judge_row(const struct bench *b, struct row *row)
{
    row->fair = 0;
    for (int k = 0; k < row->measured; k++) {
        const struct span *spans = &row->spans[(size_t)k * b->c->ntasks];
        row->disturbed[k] =
            harness_disturbance(b->c, row->m->strategy, spans, row->walls[k], b->fastest_task_cpu);
        row->fair += row->disturbed[k] == 0;
    }
}

/* Rank 0 decides whether the row needs another run; every rank hears it. */
static bool another_run(const struct bench *b, const struct row *row)
{
    int wanted = b->opts->runs;
    uint64_t more = rank == 0 && (row->measured < wanted || (row->fair < wanted && row->measured < row->cap));
    broadcast_politely(&more);
    return more != 0;
}

/* Keeps one measured run on rank 0: its figures, its tasks' spans, what
 * else took the host's CPUs, and the judgement of every run so far. */
static void keep_run(struct bench *b, struct row *row, const struct task_record *records, double wall,
                     double cpu, const struct load *load)
{
    size_t n = b->c->ntasks;
    struct span *spans = &row->spans[(size_t)row->measured * n];
    for (size_t i = 0; i < n; i++)
        spans[i] = records[i].span;
    double task_cpu = harness_mean_task_cpu(spans, n);
    if (task_cpu > 0.0 && (b->fastest_task_cpu == 0.0 || task_cpu < b->fastest_task_cpu))
        b->fastest_task_cpu = task_cpu;
    row->walls[row->measured] = wall;
    row->cpus[row->measured] = cpu;
    row->measured++;
    struct measurement *m = row->m;
    m->wall_total += wall;
    if (load != NULL)
        m->load = row->measured == 1 ? *load : load_add(m->load, *load);
    judge_row(b, row);
}

/* Runs the row (after `warmup` runs not kept) until it has the runs asked
 * for and as many fair ones, or reached its cap. The checksum must be the
 * same in every run. */
static void add_runs(struct bench *b, struct row *row, int warmup)
{
    struct task_record *records = calloc(b->c->ntasks, sizeof *records);
    if (records == NULL)
        out_of_memory();
    struct measurement *m = row->m;
    for (int r = 0; another_run(b, row); r++) {
        int wanted = b->opts->runs, total = warmup + (row->measured < wanted ? wanted : row->measured + 1);
        if (rank == 0) /* the total grows when a run is set aside */
            progress_show(_("measuring %s: run %d of %d"), m->strategy->name, r + 1, total);
        double wall = 0.0, cpu = 0.0;
        uint64_t checksum = 0;
        struct load_sample before, after;
        if (rank == 0 && b->host != NULL)
            load_sample("/", &b->host->allowed, b->host->quota_dir, &before);
        if (row->on_ranks)
            run_ranks(&b->c->workload, b->c->ntasks, records, &wall, &cpu, b->cpu_per_rank, &checksum);
        else
            run_sequential(&b->c->workload, b->c->ntasks, records, &wall, &cpu, &checksum);
        if (row->measured == 0 && r == 0)
            m->checksum = checksum;
        m->checksum_ok &= checksum == m->checksum;
        if (rank != 0 || r < warmup)
            continue;
        struct load load;
        if (b->host != NULL) {
            load_sample("/", &b->host->allowed, b->host->quota_dir, &after);
            load = load_between(&before, &after, cpu, 0);
        }
        keep_run(b, row, records, wall, cpu, b->host != NULL ? &load : NULL);
    }
    progress_clear();
    free(records);
}

/* Medians of the fair runs (of all, when none was fair), as the harness
 * keeps them; the timeline shows the median run's tasks. */
static void summarize(const struct bench *b, const struct row *row)
{
    struct measurement *m = row->m;
    size_t count = row->measured > 0 ? (size_t)row->measured : 1;
    double *walls = calloc(count, sizeof *walls), *cpus = calloc(count, sizeof *cpus);
    int *which = calloc(count, sizeof *which), kept = 0;
    if (walls == NULL || cpus == NULL || which == NULL)
        out_of_memory();
    for (int k = 0; k < row->measured; k++) {
        if (row->fair > 0 && row->disturbed[k] != 0) {
            m->set_aside_why |= row->disturbed[k];
            continue;
        }
        m->disturbed |= row->disturbed[k];
        walls[kept] = row->walls[k];
        cpus[kept] = row->cpus[k];
        which[kept++] = k;
    }
    m->runs = row->measured;
    m->set_aside = row->measured - kept;
    m->wall = stats_median(walls, (size_t)kept);
    m->wall_min = stats_min(walls, (size_t)kept);
    m->wall_max = stats_max(walls, (size_t)kept);
    m->user = stats_median(cpus, (size_t)kept); /* user + system, in one column */
    m->sys = 0.0;
    size_t median = (size_t)which[stats_median_index(walls, (size_t)kept)];
    memcpy(m->spans, &row->spans[median * b->c->ntasks], b->c->ntasks * sizeof *m->spans);
    free(walls);
    free(cpus);
    free(which);
}

/* Measures both rows: sequential on rank 0, then the ranks. Once both
 * have run, a row still short of fair runs is judged again (the ranks'
 * faster tasks can show that sequential's were slowed) and gets more. */
static void measure_rows(struct bench *b)
{
    struct row rows[2];
    start_row(b, &rows[0], false, &b->c->results[0]);
    start_row(b, &rows[1], true, &b->c->results[1]);
    b->c->count = 2;
    for (int i = 0; i < 2; i++)
        add_runs(b, &rows[i], b->opts->warmup);
    for (int i = 0; i < 2; i++) {
        rows[i].cap = ALL_PASSES * b->opts->runs;
        if (rank == 0)
            judge_row(b, &rows[i]);
        add_runs(b, &rows[i], 0); /* rank 0 says whether it runs again */
    }
    for (int i = 0; i < 2 && rank == 0; i++) {
        judge_row(b, &rows[i]);
        summarize(b, &rows[i]);
    }
    for (int i = 0; i < 2; i++)
        free_row(&rows[i]);
}

/* How many of the mpi row's tasks each rank ran, from the pid each task
 * recorded: proof that the work was shared, not only that it added up. */
static void print_tasks_per_rank(const struct comparison *c, const int *pid_of_rank)
{
    printf(", \"tasks_per_rank\": [");
    for (int r = 0; r < ranks; r++) {
        size_t count = 0;
        for (size_t i = 0; i < c->ntasks; i++)
            count += c->results[1].spans[i].pid == pid_of_rank[r];
        printf("%s%zu", r > 0 ? ", " : "", count);
    }
    printf("]");
}

static void print_json(const struct machine *m, const struct comparison *c, int hosts, char *verdict,
                       const int *pid_of_rank)
{
    printf("{\"demo\": \"mpi_cpu\", \"version\": \"%s\", \"machine\": ", ATONCE_VERSION);
    report_json_machine(stdout, m);
    printf(", \"ranks\": %d, \"hosts\": %d, \"cpus\": %zu, \"workload\": {\"kind\": \"cpu\", "
           "\"tasks\": %zu, \"seconds\": %g, \"units\": %llu}, \"results\": [",
           ranks, hosts, c->cpus.count, c->ntasks, c->workload.seconds,
           (unsigned long long)c->workload.units);
    for (size_t i = 0; i < c->count; i++) {
        const struct measurement *r = &c->results[i];
        double speedup = stats_speedup(c->results[0].wall, r->wall);
        printf(
            "%s{\"strategy\": \"%s\", \"ranks\": %d, \"runs\": %d, \"runs_set_aside\": %d, \"wall_s\": %.9g, "
            "\"wall_min_s\": %.9g, \"wall_max_s\": %.9g, \"cpu_s\": %.9g, \"speedup\": %.9g, "
            "\"ideal_speedup\": %g, \"checksum\": \"%016llx\", \"checksum_ok\": %s",
            i > 0 ? ", " : "", r->strategy->name, i == 0 ? 1 : ranks, r->runs, r->set_aside, r->wall,
            r->wall_min, r->wall_max, r->user, speedup, harness_ideal_speedup(c, r),
            (unsigned long long)r->checksum, r->checksum_ok ? "true" : "false");
        report_json_load_flags(stdout, c, r);
        printf("}");
    }
    printf("]");
    print_tasks_per_rank(c, pid_of_rank);
    printf(", \"checksum_ok\": %s, \"verdicts\": [", harness_checksums_ok(c) ? "true" : "false");
    report_json_string(stdout, verdict);
    printf("]}\n");
}

/* "CPU time per rank, last run: 0.499 0.501 s", as many ranks as fit 80
 * columns, then "...". */
static void print_cpu_per_rank(const double *cpu_per_rank)
{
    /* TRANSLATORS: "CPU time per rank, last run: 0.499 0.501 s": this, the figures, then "%s s" */
    const char *title = _("CPU time per rank, last run:");
    /* TRANSLATORS: the end of the CPU time per rank: " ..." (more ranks) or nothing, then the unit */
    const char *ending = _("%s s");
    char line[192], cut[32], whole[32];
    snprintf(cut, sizeof cut, ending, " ...");
    snprintf(whole, sizeof whole, ending, "");
    int used = snprintf(line, sizeof line, "%s", title), r = 0;
    size_t columns = i18n_columns(title, strlen(title));
    for (; r < ranks; r++) {
        char value[32];
        int len = snprintf(value, sizeof value, " %.3f", cpu_per_rank[r]);
        const char *end = r + 1 < ranks ? cut : whole; /* room for what must follow it */
        if (columns + (size_t)len + i18n_columns(end, strlen(end)) > 80)
            break;
        used += snprintf(line + used, sizeof line - (size_t)used, "%s", value);
        columns += (size_t)len;
    }
    printf("%s%s\n", line, r < ranks ? cut : whole);
}

static void print_report(const struct options *opts, const struct machine *m, const struct comparison *c,
                         int hosts, const double *cpu_per_rank, char verdict[][VERDICT_SIZE])
{
    report_header(&demo, opts, m, NULL);
    char tasks[128], on[32], where[32], cpus[32];
    snprintf(
        tasks, sizeof tasks,
        ngettext("%zu task, each computes %g s of CPU", "%zu tasks, each computes %g s of CPU", c->ntasks),
        c->ntasks, c->workload.seconds);
    snprintf(on, sizeof on, ngettext("%d rank", "%d ranks", (unsigned long)ranks), ranks);
    snprintf(where, sizeof where, ngettext("%d host", "%d hosts", (unsigned long)hosts), hosts);
    i18n_count_cpus(c->cpus.count, cpus, sizeof cpus);
    printf("\n");
    /* TRANSLATORS: "2 tasks, each computes 0.5 s of CPU, on 2 ranks (1 host, 2 CPUs in all)" */
    printf(_("%s, on %s (%s, %s in all)\n"), tasks, on, where, cpus);
    report_table(c, opts);
    print_cpu_per_rank(cpu_per_rank);
    bool all = opts->details == DETAILS_ALL;
    if (!all) /* under the tour: the verdict on the table's screen */
        demo_verdicts(&demo, opts, verdict, 1);
    if (demo_show_details(opts)) {
        report_legend();
        report_timeline(c, opts);
    }
    if (all)
        demo_verdicts(&demo, opts, verdict, 1);
    report_note(&demo);
}

/* Refuses a run that would take too long: both rows, each run as
 * measure_rows runs it (the runs asked for), the ranks on c->cpus.count CPUs. Returns 0 or 2. */
static int refuse_long_run(const struct options *opts, const struct comparison *c)
{
    struct harness_plan plan = {.strategies = strategies,
                                .count = 2,
                                .ntasks = c->ntasks,
                                .warmup = opts->warmup,
                                .runs = opts->runs,
                                .strategy_context = c->strategy_context};
    struct demo_estimate e = {0};
    demo_estimate_add(&e, NULL, &plan, &c->workload, (double)c->cpus.count);
    return demo_refuse_long_run(&demo, opts, &e, NULL);
}

/* Every rank reads the same flags; only rank 0 may print about them. */
static int parse_options_quietly(int argc, char **argv, struct options *opts)
{
    int saved_out = dup(STDOUT_FILENO), saved_err = dup(STDERR_FILENO);
    if (rank != 0 && freopen("/dev/null", "w", stdout) != NULL)
        dup2(STDOUT_FILENO, STDERR_FILENO);
    int status = options_parse(argc, argv, &demo, opts);
    output_flush(stdout);
    dup2(saved_out, STDOUT_FILENO);
    dup2(saved_err, STDERR_FILENO);
    close(saved_out);
    close(saved_err);
    return status;
}

/* --help and --version need no ranks. */
static bool asks_for_help(int argc, char **argv)
{
    for (int i = 1; i < argc; i++)
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--version") == 0)
            return true;
    return false;
}

int main(int argc, char **argv)
{
    if (asks_for_help(argc, argv)) {
        struct options opts;
        return options_parse(argc, argv, &demo, &opts);
    }
    if (!started_by_mpirun()) {
        fprintf(stderr,
                "mpi_cpu: start it with mpirun, e.g.: mpirun -np 2 %s\n"
                "(as root, add --allow-run-as-root)\n",
                argv[0]);
        return 2;
    }
    MPI_Init(&argc, &argv);
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &ranks);
    struct options opts;
    int status = parse_options_quietly(argc, argv, &opts); /* the same answer on every rank */
    /* No colour, ever: mpirun gives each rank a pseudo-terminal for its
     * output, so isatty() says "terminal" even when mpirun's own output goes
     * to a file or a pipe, and nothing tells a rank which it is. */
    opts.color = false;
    /* Each rank checks --cpus against the CPUs mpirun bound it to, so the
     * ranks may disagree; they must stop together: the strictest answer wins. */
    int agreed = status;
    MPI_Allreduce(&status, &agreed, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
    if (agreed != status && rank == 0)
        fprintf(stderr, "mpi_cpu: another rank refused the flags (with --cpus: mpirun binds each rank "
                        "to a CPU of its own; try mpirun --bind-to none)\n");
    if (agreed != OPTIONS_RUN) { /* --help, --version or a bad flag */
        MPI_Finalize();
        return agreed;
    }
    struct machine m;
    if ((status = demo_setup(&demo, &opts, &m)) != 0)
        MPI_Abort(MPI_COMM_WORLD, status); /* pinning failed on some rank: stop them all */
    int hosts, cpus;
    count_hosts(&m, &hosts, &cpus);

    struct comparison c = {.ntasks = opts.tasks_given ? opts.tasks : (size_t)ranks,
                           .strategy_context = {.workers = (size_t)ranks}}; /* fixed shares, one per rank */
    /* One task per rank share the work of two (lib/demo.h), as one per CPU do in cpu. */
    bool shared = !opts.seconds_given && !opts.tasks_given;
    c.workload = (struct workload){.kind = &workload_cpu,
                                   .seconds = shared ? demo_share_of_work(opts.seconds, c.ntasks, opts.quick)
                                                     : opts.seconds};
    /* The ideal speedup: no more than the ranks, nor the CPUs they share. */
    c.cpus = m.allowed; /* rank 0's host; with more hosts, a count only: */
    if (hosts > 1)
        for (size_t i = 0; i < (size_t)cpus && i < CPU_LIST_MAX; i++)
            c.cpus.ids[i] = (int)i;
    c.cpus.count = (size_t)(cpus < ranks ? cpus : ranks);
    /* What judges a run (lib/harness) knows of rank 0's host: its cores,
     * boost and quota. Of several hosts, nothing. */
    c.cores = hosts == 1 ? machine_count_cores(&m, &c.cpus) : MACHINE_UNKNOWN;
    c.boost = hosts == 1 ? m.boost : MACHINE_UNKNOWN;
    c.quota = hosts == 1 ? m.quota : MACHINE_UNKNOWN;
    c.warmup = opts.warmup;
    c.runs = opts.runs;
    /* Rank 0 knows the CPUs (count_hosts): it decides for all, and says why. */
    int refused = rank == 0 ? refuse_long_run(&opts, &c) : 0;
    MPI_Bcast(&refused, 1, MPI_INT, 0, MPI_COMM_WORLD);
    if (refused != 0) {
        MPI_Finalize();
        return refused;
    }
    if (rank == 0)
        workload_calibrate(&c.workload);
    /* One calibration for all: every rank must do the same units per task. */
    broadcast_politely(&c.workload.units);

    double *cpu_per_rank = calloc((size_t)ranks, sizeof *cpu_per_rank);
    int *pid_of_rank = calloc((size_t)ranks, sizeof *pid_of_rank);
    if (cpu_per_rank == NULL || pid_of_rank == NULL)
        out_of_memory();
    int my_pid = (int)getpid();
    MPI_Gather(&my_pid, 1, MPI_INT, pid_of_rank, 1, MPI_INT, 0, MPI_COMM_WORLD);
    output_flush(stdout);
    struct bench bench = {.c = &c,
                          .opts = &opts,
                          .host = hosts == 1 ? &m : NULL, /* its CPUs: every rank's (count_hosts) */
                          .cpu_per_rank = cpu_per_rank};
    measure_rows(&bench);
    if (rank == 0) {
        if (c.results[1].checksum != c.results[0].checksum)
            c.results[1].checksum_ok = false; /* the ranks together must compute what one did */
        char verdict[1][VERDICT_SIZE];
        verdict_single(&c, verdict[0], sizeof verdict[0]);
        if (opts.json)
            print_json(&m, &c, hosts, verdict[0], pid_of_rank);
        else
            print_report(&opts, &m, &c, hosts, cpu_per_rank, verdict);
        status = harness_checksums_ok(&c) ? 0 : 1;
    }
    free(cpu_per_rank);
    free(pid_of_rank);
    harness_free(&c);
    MPI_Bcast(&status, 1, MPI_INT, 0, MPI_COMM_WORLD); /* every rank exits as rank 0 does */
    MPI_Finalize();
    return status;
}
