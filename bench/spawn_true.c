/*
 * spawn_true: what it costs to start one child running `true` and reap it,
 * with lib/child (posix_spawn + wait), in microseconds per child.
 *
 * Usage: spawn_true [COUNT]     (default 1000 children per batch, 7 batches)
 * Prints the median over the batches and the range.
 */
#include "child.h"
#include "stats.h"
#include "stopwatch.h"

#include <stdio.h>
#include <stdlib.h>

#define BATCHES 7

int main(int argc, char **argv)
{
    long count = argc > 1 ? atol(argv[1]) : 1000;
    if (count <= 0) {
        fprintf(stderr, "Usage: spawn_true [COUNT]\n");
        return 2;
    }
    const char *const true_argv[] = {"true", NULL};
    double us[BATCHES];
    for (int b = 0; b < BATCHES; b++) {
        double start = stopwatch_now();
        for (long i = 0; i < count; i++) {
            struct child c;
            struct child_error error = {0};
            if (child_spawn(&c, true_argv, NULL, &error) != 0 || child_wait(&c, -1.0, &error) != 0) {
                char why[256];
                child_error_format(&error, why, sizeof why);
                fprintf(stderr, "spawn_true: %s\n", why);
                return 1;
            }
            child_close(&c);
        }
        us[b] = (stopwatch_now() - start) / (double)count * 1e6;
    }
    printf("%.1f %.1f %.1f\n", stats_median(us, BATCHES), stats_min(us, BATCHES), stats_max(us, BATCHES));
    return 0;
}
