/*
 * verdict: one sentence on what a comparison shows, computed from the
 * measurements, never canned. When a run contradicts the lesson (a busy
 * machine, a single CPU, tasks too short), the sentence says what was
 * measured and why it may differ.
 *
 * The speedup quoted is the lower one among the strategies that could have
 * sped the work up (threads and processes), so the claim holds for each.
 *
 * Every row is checked, not only the one quoted. A row that shows what the
 * machine cannot do (faster than ideal, computing faster on one CPU) is
 * never reported as the lesson; a run that falls short names the first
 * cause the measurements show, in a fixed order (verdict_cause), and when
 * none does, says that this run did not show the lesson.
 */
#ifndef ATONCE_VERDICT_H
#define ATONCE_VERDICT_H

#include "harness.h"

#include <stdbool.h>
#include <stddef.h>

#define VERDICT_SIZE 256

/* The thresholds every demo's verdict uses, in one place. */
#define VERDICT_LESSON_EFFICIENCY  0.925 /* computing: 92.5 % of the ideal (1.85x of 2x) shows the lesson */
#define VERDICT_WAITING_EFFICIENCY 0.90  /* waiting: 90 % (9x of 10 sleeps; starting them costs a little) */
#define VERDICT_NO_SPEEDUP         1.2   /* below 1.2x counts as "no real speedup" */
#define VERDICT_PINNED_BAND        0.05  /* computing on one CPU: 0.95-1.05x is "no speedup" */
#define VERDICT_OTHERS_SHARE       0.10  /* other programs taking a tenth of a CPU or more matter */
#define VERDICT_MEASURABLE_S       0.03  /* others or steal: over 3 ticks of /proc/stat, its resolution */
#define VERDICT_STEAL_SHARE        0.05  /* steal of 5 % of a CPU or more matters */
#define VERDICT_SHORT_SHARE        0.05  /* starting the workers costs over 5 % of a task */
#define VERDICT_SLOWER_CLOCK       0.05  /* tasks needing 5 % more CPU time than alone */
#define VERDICT_SMT_GAIN           0.3   /* a core's second hyper-thread adds 0-30 % */

/* The share of its ideal a speedup needs to show the lesson of `kind`. */
double verdict_lesson_efficiency(const struct workload_kind *kind);

/* Why a run may fall short of its lesson: the causes, in the order they
 * are checked. The first that the measurements show is named. */
enum verdict_cause {
    CAUSE_NONE,         /* nothing measured explains a shortfall */
    CAUSE_QUOTA,        /* the cgroup's CPU quota allows less than the CPUs */
    CAUSE_OTHERS,       /* other programs took CPU time on the run's CPUs (/proc/stat) */
    CAUSE_STEAL,        /* the hypervisor gave the CPUs to other machines */
    CAUSE_TOO_SHORT,    /* tasks not much longer than starting their workers */
    CAUSE_EFFICIENCY,   /* a hybrid CPU: some tasks ran on its slower efficiency cores */
    CAUSE_HYPERTHREADS, /* more tasks than cores: two threads share a core */
    CAUSE_SLOWER_CLOCK, /* each task needed more CPU time than alone: the clock slowed */
    CAUSE_WAITED,       /* in every run a task waited for a CPU or started late */
};

/* The first cause that applies to `c`, with a short explanation in buf,
 * e.g. "the CPU quota allows 1.0 CPUs' worth: throttled 25 times".
 * CAUSE_NONE leaves "nothing measured explains it ...". A verdict quoting
 * it is wrapped (report_verdicts); the quota's, other programs' and steal's
 * also head a warning line, which fits 80 columns at the widest figures
 * (tests/test_widths.c). */
enum verdict_cause verdict_cause(const struct comparison *c, char *buf, size_t size);

/* When a row of `c` is one the machine cannot produce, writes
 * "cpu: threads 1.31x on 1 CPU?! (ideal 1x) -> not the lesson: <cause, or
 * a noisy run>" and returns true; otherwise leaves buf alone. */
bool verdict_not_the_lesson(const struct comparison *c, char *buf, size_t size);

/* What a row's measurements say about it, for --json's "flags". */
enum {
    FLAG_OTHERS = 1,     /* other programs took a tenth of a CPU or more during its runs */
    FLAG_STEAL = 2,      /* so did the hypervisor */
    FLAG_THROTTLED = 4,  /* the CPU quota stopped the process group */
    FLAG_IMPOSSIBLE = 8, /* faster than its ideal beyond the spread, or off 1x on one CPU: noise */
    FLAG_SHORT = 16,     /* could speed up, but reached under VERDICT_LESSON_EFFICIENCY of its ideal */
    FLAG_WAITED = 32,    /* in every run a computing task waited for a CPU while open (DISTURB_WAITED) */
    FLAG_LATE = 64,      /* in every run a task started late (DISTURB_LATE) */
    FLAG_SLOWED = 128,   /* in every run the tasks needed more CPU time than the fastest run's */
};
unsigned verdict_row_flags(const struct comparison *c, const struct measurement *m);

/* Does a row show what the machine cannot do: an efficiency above 100 %
 * by more than the runs' spread, or computing on one CPU outside
 * 0.95-1.05x? Names the first such row in buf, e.g.
 * "threads 1.31x on 1 CPU?! (ideal 1x)". */
bool verdict_impossible_row(const struct comparison *c, char *buf, size_t size);

/* What one comparison shows, e.g.
 * "sleep: 9.97x with 10 tasks on 2 CPUs -> the waiting overlapped". */
void verdict_single(const struct comparison *c, char *buf, size_t size);

/* The headline for one workload measured twice, on every allowed CPU and
 * pinned to one, e.g.
 * "cpu: 1.00x on 1 CPU, 1.97x on 2 CPUs -> only parallelism speeds up computing". */
void verdict_versus(const struct comparison *all, const struct comparison *one, char *buf, size_t size);

/* gil's two headlines: sleeping under the lock ("waits still overlap")
 * and computing under it ("one lock, one computing thread"), the second
 * claimed only when the strategies without the lock did reach the CPU
 * count; otherwise the measured cause is named. */
void verdict_gil(const struct comparison *sleeping, const struct comparison *computing, char *sleep_buf,
                 char *cpu_buf, size_t size);

/* race's headlines, from its comparisons (lib/counter.c's kinds):
 * which rows lost additions unsynchronized ("counter++ is three steps");
 * what the mutex, the atomic and a counter per task cost beside one task
 * doing it all, claimed only when per-task reached its ideal, else the
 * cause; how often the unsynchronized way lost additions pinned to one
 * CPU; and that processes on private memory counted 0. */
void verdict_race_lost(const struct comparison *unsynchronized, char *buf, size_t size);
void verdict_race_cost(const struct comparison *mutex, const struct comparison *atomic,
                       const struct comparison *per_task, char *buf, size_t size);
/* The serial share (Karp-Flatt) that the mutex's and the atomic's speedups
 * imply; over 1 when they were slower than one task alone. */
void verdict_race_serial(const struct comparison *mutex, const struct comparison *atomic, char *buf,
                         size_t size);
void verdict_race_pinned(const struct comparison *pinned, char *buf, size_t size);
void verdict_race_private(const struct comparison *private_memory, char *buf, size_t size);

/* false_sharing's headline: how many times longer threads took with the
 * counters side by side than padded apart, on every CPU and pinned to one;
 * false sharing claimed only when that is 1.2x or more on several CPUs
 * and under 1.2x on one. */
void verdict_false_sharing(const struct comparison *padded_all, const struct comparison *adjacent_all,
                           const struct comparison *padded_one, const struct comparison *adjacent_one,
                           char *buf, size_t size);

/* The lower speedup among strategies that could speed this workload up,
 * or 0 when there is none (or no sequential run to compare with). */
double verdict_speedup(const struct comparison *c);

#endif
