/*
 * fixed_work: the cpu workload with a fixed number of units per task (not
 * calibrated seconds), under one of lib's strategies, so that the peer
 * benchmark can give Python exactly the same work. Prints the median wall
 * time of RUNS runs after one warm-up, and the combined checksum:
 *
 *   fixed_work STRATEGY TASKS UNITS RUNS   ->   {"wall_s": 0.51, "checksum": "..."}
 */
#include "stats.h"
#include "stopwatch.h"
#include "strategy.h"

#include <stdio.h>
#include <stdlib.h>

#define MAX_RUNS 50

int main(int argc, char **argv)
{
    if (argc != 5) {
        fprintf(stderr, "usage: fixed_work STRATEGY TASKS UNITS RUNS\n");
        return 2;
    }
    const struct strategy *s = strategy_find(argv[1]);
    size_t tasks = strtoul(argv[2], NULL, 10);
    struct workload w = {.kind = &workload_cpu, .units = strtoull(argv[3], NULL, 10)};
    int runs = atoi(argv[4]);
    if (s == NULL || tasks == 0 || tasks > 64 || runs < 1 || runs > MAX_RUNS) {
        fprintf(stderr, "fixed_work: bad arguments\n");
        return 2;
    }
    struct task_record records[64];
    double walls[MAX_RUNS];
    uint64_t checksum = 0;
    const struct strategy_context defaults = {0}; /* a pool: one worker per CPU */
    for (int r = -1; r < runs; r++) {             /* run -1 is the warm-up */
        const char *failed_call = "?";
        double start = stopwatch_now();
        if (s->run(&defaults, &w, tasks, records, &failed_call) != 0) {
            perror(failed_call);
            return 1;
        }
        double wall = stopwatch_now() - start;
        checksum = 0;
        for (size_t i = 0; i < tasks; i++)
            checksum = workload_combine(checksum, records[i].checksum);
        if (r >= 0)
            walls[r] = wall;
    }
    printf("{\"wall_s\": %.9g, \"wall_min_s\": %.9g, \"wall_max_s\": %.9g, \"checksum\": \"%016llx\"}\n",
           stats_median(walls, (size_t)runs), stats_min(walls, (size_t)runs), stats_max(walls, (size_t)runs),
           (unsigned long long)checksum);
    return 0;
}
