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

#define MAX_RUNS (OPTIONS_MAX_RUNS + OPTIONS_MAX_WARMUP)

/* The row for the ranks: a strategy in name only, since mpirun, not a
 * function, starts the ranks. Every rank computes at once, on its own CPU. */
static struct strategy mpi_ranks = {
    .name = "mpi",
    .explains = "ranks started by mpirun, each running its share of the tasks",
    .overlaps_waiting = true,
    .computes_in_parallel = true,
};

static const struct strategy *const strategies[] = {&strategy_sequential, &mpi_ranks, NULL};

static const struct demo_info demo = {
    .name = "mpi_cpu",
    .summary = "Runs the cpu workload split across MPI ranks (start it with mpirun), beside a\n"
               "sequential run on rank 0: the same table as cpu, with a row for the ranks.\n"
               "Start it with: mpirun -np 2 build/demos/mpi_cpu",
    .note = "notes/15-mpi.md",
    .default_tasks = 0, /* one task per rank */
    .default_seconds = 0.5,
    .quick_tasks = 0,
    .quick_seconds = 0.1,
    .default_strategies = "sequential",
    .harness = true,
    .shares_work = true,
    .strategies = strategies,
    .tasks_help = "how many tasks, shared among the ranks",
    .default_tasks_help = "one per rank",
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
        strategy_sequential.run(w, ntasks, records, &failed_call); /* cannot fail */
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

/* Medians over the measured runs, as the harness keeps them. */
static void summarize(struct measurement *m, const double *walls, const double *cpus, int runs)
{
    m->runs = runs;
    m->wall = stats_median(walls, (size_t)runs);
    m->wall_min = stats_min(walls, (size_t)runs);
    m->wall_max = stats_max(walls, (size_t)runs);
    m->user = stats_median(cpus, (size_t)runs); /* user + system, in one column */
    m->sys = 0.0;
}

/* Measures one row: warm-ups, then runs, the checksum the same in each.
 * Rank 0 reads what else took its host's CPUs around each run (lib/load);
 * `host` is NULL when the ranks run on several hosts: then it is unknown. */
static void measure_row(bool on_ranks, const struct workload *w, size_t ntasks, const struct options *opts,
                        const struct machine *host, struct measurement *m, double *cpu_per_rank)
{
    m->load = (struct load){.cpus_known = false, .throttled_periods = -1, .throttled = -1.0};
    int total = opts->warmup + opts->runs;
    double walls[MAX_RUNS], cpus[MAX_RUNS];
    struct task_record *records = calloc(ntasks, sizeof *records);
    m->spans = calloc(ntasks, sizeof *m->spans);
    if (records == NULL || m->spans == NULL)
        out_of_memory();
    m->strategy = on_ranks ? &mpi_ranks : &strategy_sequential;
    m->checksum_ok = true;
    for (int r = 0; r < total; r++) {
        if (rank == 0)
            progress_show("measuring %s: run %d of %d", m->strategy->name, r + 1, total);
        double wall = 0.0, cpu = 0.0;
        uint64_t checksum = 0;
        struct load_sample before, after;
        if (rank == 0 && host != NULL)
            load_sample("/", &host->allowed, host->quota_dir, &before);
        if (on_ranks)
            run_ranks(w, ntasks, records, &wall, &cpu, cpu_per_rank, &checksum);
        else
            run_sequential(w, ntasks, records, &wall, &cpu, &checksum);
        if (r == 0)
            m->checksum = checksum;
        m->checksum_ok &= checksum == m->checksum;
        if (r >= opts->warmup) {
            if (rank == 0 && host != NULL) {
                load_sample("/", &host->allowed, host->quota_dir, &after);
                struct load load = load_between(&before, &after, cpu, 0);
                m->load = r == opts->warmup ? load : load_add(m->load, load);
            }
            m->wall_total += wall;
            walls[r - opts->warmup] = wall;
            cpus[r - opts->warmup] = cpu;
            if (r == total - 1) /* the last run's tasks, for the timeline */
                for (size_t i = 0; i < ntasks; i++)
                    m->spans[i] = records[i].span;
        }
    }
    progress_clear();
    summarize(m, walls, cpus, opts->runs);
    free(records);
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
        printf("%s{\"strategy\": \"%s\", \"ranks\": %d, \"runs\": %d, \"wall_s\": %.9g, "
               "\"wall_min_s\": %.9g, \"wall_max_s\": %.9g, \"cpu_s\": %.9g, \"speedup\": %.9g, "
               "\"ideal_speedup\": %g, \"checksum\": \"%016llx\", \"checksum_ok\": %s",
               i > 0 ? ", " : "", r->strategy->name, i == 0 ? 1 : ranks, r->runs, r->wall, r->wall_min,
               r->wall_max, r->user, speedup, harness_ideal_speedup(c, r), (unsigned long long)r->checksum,
               r->checksum_ok ? "true" : "false");
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
    char line[96];
    int used = snprintf(line, sizeof line, "CPU time per rank, last run:"), r = 0;
    for (; r < ranks; r++) {
        char value[32];
        int len = snprintf(value, sizeof value, " %.3f", cpu_per_rank[r]);
        const char *end = r + 1 < ranks ? " ... s" : " s"; /* room for what must follow it */
        if (used + len + (int)strlen(end) > 80)
            break;
        used += snprintf(line + used, sizeof line - (size_t)used, "%s", value);
    }
    printf("%s%s s\n", line, r < ranks ? " ..." : "");
}

static void print_report(const struct options *opts, const struct machine *m, const struct comparison *c,
                         int hosts, const double *cpu_per_rank, char verdict[][VERDICT_SIZE])
{
    report_header(&demo, opts, m, NULL);
    printf("\n%zu task%s, each computes %g s of CPU, on %d rank%s (%d host%s, %zu CPU%s in all)\n", c->ntasks,
           c->ntasks == 1 ? "" : "s", c->workload.seconds, ranks, ranks == 1 ? "" : "s", hosts,
           hosts == 1 ? "" : "s", c->cpus.count, c->cpus.count == 1 ? "" : "s");
    report_table(c, opts);
    print_cpu_per_rank(cpu_per_rank);
    report_legend();
    report_timeline(c, opts);
    report_verdicts(verdict, 1, opts);
    report_note(&demo);
}

/* Refuses a run that would take too long: both rows, each run as
 * measure_row runs it, the ranks on c->cpus.count CPUs. Returns 0 or 2. */
static int refuse_long_run(const struct options *opts, const struct comparison *c)
{
    struct harness_plan plan = {.strategies = strategies,
                                .count = 2,
                                .ntasks = c->ntasks,
                                .warmup = opts->warmup,
                                .runs = opts->runs};
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
    mpi_ranks.workers = (size_t)ranks; /* rank r gets tasks r, r + ranks, ...: fixed shares */
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

    struct comparison c = {.ntasks = opts.tasks_given ? opts.tasks : (size_t)ranks};
    /* One task per rank share the work of two (lib/demo.h), as one per CPU do in cpu. */
    bool shared = !opts.seconds_given && !opts.tasks_given;
    c.workload = (struct workload){.kind = WORKLOAD_CPU,
                                   .seconds = shared ? demo_share_of_work(opts.seconds, c.ntasks, opts.quick)
                                                     : opts.seconds};
    /* The ideal speedup: no more than the ranks, nor the CPUs they share. */
    c.cpus = m.allowed; /* rank 0's host; with more hosts, a count only: */
    if (hosts > 1)
        for (size_t i = 0; i < (size_t)cpus && i < CPU_LIST_MAX; i++)
            c.cpus.ids[i] = (int)i;
    c.cpus.count = (size_t)(cpus < ranks ? cpus : ranks);
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
    const struct machine *host = hosts == 1 ? &m : NULL; /* its CPUs: every rank's (count_hosts) */
    measure_row(false, &c.workload, c.ntasks, &opts, host, &c.results[0], cpu_per_rank);
    measure_row(true, &c.workload, c.ntasks, &opts, host, &c.results[1], cpu_per_rank);
    c.count = 2;
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
