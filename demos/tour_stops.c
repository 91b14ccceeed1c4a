#include "tour_stops.h"

#include "i18n.h"

#include <stdio.h>
#include <string.h>

/* The lesson, in the order of notes/README.md. A test checks the two agree. */
const struct stop tour_stops[] = {
    {"00-concurrency-vs-parallelism.md",
     N_("Concurrency and parallelism: the whole lesson in one second"),
     N_("Ten short sleeps and one short computation per CPU ({n} here), on all CPUs\n"
        "and then on one: which of them get faster with threads?"),
     N_("The sleeps, close to 10x, even on one CPU. The computing only on more than\n"
        "one CPU, and at most as many times as CPUs compute at once: {cpus}x here.{ht}"),
     {"versus", "--quick"},
     {"versus", "--quick"},
     false},
    {"01-sleep.md",
     N_("Waiting overlaps"),
     N_("Ten sleeps take ten times one sleep, one after another. With threads,\n"
        "pinned to one CPU, how long do they take?"),
     N_("About as long as one sleep: a sleeping task needs no CPU, so the waits\n"
        "overlap even on one CPU. That is concurrency."),
     {"sleep", "--cpus", "0", "--runs", "1", "--warmup", "0"},
     {"sleep", "--cpus", "0", "--quick"},
     false},
    {"02-cpu.md",
     N_("Computing needs CPUs"),
     N_("One computing task per CPU: how much faster than one after another are\n"
        "threads and processes?"),
     N_("At most as many times as CPUs compute at once ({cpus}x here), with CPU use\n"
        "near {use}: computing speeds up only by running in parallel.{ht}"),
     {"cpu", "--runs", "1"},
     {"cpu", "--quick"},
     false},
    {"03-versus.md",
     N_("Both side by side"),
     N_("Pinned to one CPU, which still gets faster with threads: sleeping or computing?"),
     N_("Sleeping (close to 10x). Computing drops to about 1x: one CPU can wait for\n"
        "many things at once, but compute only one."),
     {"versus", "--runs", "1"},
     {"versus", "--quick"},
     false},
    {"04-run_capture.md",
     N_("Run a program, capture its output"),
     N_("echo gets the greeting 'Hello from the child process!' with no shell in\n"
        "between. How many bytes does the parent capture?"),
     N_("30: the 29 characters and the newline echo adds."),
     {"run_capture"},
     {"run_capture"},
     false},
    {"05-poll_child.md",
     N_("Polling burns a CPU, waiting does not"),
     N_("While a child sleeps, the parent asks \"finished yet?\" in a loop, then waits\n"
        "properly. How much CPU does each way of waiting burn?"),
     N_("The loop keeps one CPU busy nearly 100% of the time; the blocking wait uses\n"
        "close to 0%."),
     {"poll_child"},
     {"poll_child", "--seconds", "0.1"},
     false},
    {"06-parallel_children.md",
     N_("Many children at once"),
     N_("Ten children each run sleep. Started all at once, then waited for: how long,\n"
        "compared with one after another?"),
     N_("About as long as one child: they all wait at the same time, even on one CPU."),
     {"parallel_children"},
     {"parallel_children", "--quick"},
     false},
    {"07-pipe_input.md",
     N_("Feeding a child's stdin"),
     N_("Three openssl children encrypt at once. Where does the password go, so that\n"
        "ps cannot show it to other users?"),
     N_("In the environment (-pass env:password), never in argv: anyone on the\n"
        "machine can read a process's argv."),
     {"pipe_input"},
     {"pipe_input"},
     false},
    {"08-pipeline.md",
     N_("Pipelines, and the hang when the parent keeps a pipe"),
     N_("If the parent keeps its own copy of the pipe between two stages, when does\n"
        "the second stage finish?"),
     N_("Never by itself: it waits for an end-of-file that cannot come while the\n"
        "parent holds the write end. The demo cuts the hang off after 2 s; once the\n"
        "parent closes its copy, the chain finishes at once."),
     {"pipeline", "--keep-pipe-open"},
     {"pipeline", "--keep-pipe-open"},
     false},
    {"09-timeout.md",
     N_("Stopping a child after a timeout"),
     N_("The parent stops a child that started a grandchild. Does the grandchild\n"
        "stop too?"),
     N_("Not when only the child is signalled: the grandchild lives on and keeps the\n"
        "pipe open. It stops when the child leads a process group and the whole\n"
        "group is signalled."),
     {"timeout"},
     {"timeout"},
     false},
    {"10-why-these-commands-changed.md",
     N_("Why the study note's openssl commands changed"),
     N_("The study note hashed with whirlpool. Does OpenSSL 3 still run it?"),
     N_("Not by default: whirlpool moved to OpenSSL 3's legacy provider. The demo\n"
        "asks for that provider when you choose --digest whirlpool."),
     {"pipeline", "--digest", "whirlpool"},
     {"pipeline", "--digest", "whirlpool"},
     false},
    {"11-gil.md",
     N_("A global lock, like Python's GIL"),
     N_("Threads that must hold one global lock to compute: how much faster than one\n"
        "after another, on {n_cpus}? And when they sleep?"),
     N_("Computing: about 1x, the lock lets one thread compute at a time. Sleeping\n"
        "still overlaps: the lock is let go while waiting. That is why Python\n"
        "computes in processes."),
     {"gil", "--runs", "1"},
     {"gil", "--quick"},
     false},
    {"12-spawn_cost.md",
     N_("What starting costs"),
     N_("What costs more to start and finish: a thread, a forked process, or a new\n"
        "program? By how much?"),
     N_("A thread is cheapest (tens of microseconds), fork several times more, a new\n"
        "program more again: tiny tasks gain nothing from running in parallel."),
     {"spawn_cost"},
     {"spawn_cost", "--quick"},
     false},
    {"13-event_loop.md",
     N_("One thread, many timers: an event loop"),
     N_("Can one thread overlap ten sleeps, with no other threads?"),
     N_("Yes: it waits for the earliest deadline, so the run takes about one sleep.\n"
        "But it cannot compute two things at once."),
     {"event_loop", "--runs", "1"},
     {"event_loop", "--quick"},
     false},
    {"14-scaling.md",
     N_("Scaling: more workers than CPUs"),
     N_("One fixed job, split over more and more workers: where does the speedup stop?"),
     N_("At the number of CPUs: more workers than CPUs only take turns."),
     {"scaling"},
     {"scaling", "--quick"},
     false},
    {"15-mpi.md",
     N_("Beyond one machine: the same work on MPI ranks"),
     N_("Two MPI ranks share the computing tasks and combine their checksums in\n"
        "messages. How close to 2x do they get, compared with one rank alone?"),
     N_("Close to 2x with 2 CPUs or more ({n} here), with the same checksum as the\n"
        "sequential run: ranks are processes, so the ceiling is still the CPUs you\n"
        "have (on every host)."),
     {"mpi_cpu", "--runs", "1"},
     {"mpi_cpu", "--quick"},
     true},
    {"16-race.md",
     N_("Sharing one counter: a race"),
     N_("Each task adds 1 to one shared counter, with no lock. Does the count come out\n"
        "right? And with the tasks pinned to one CPU?"),
     N_("Short, and different every run: counter++ is three steps (load, add, store),\n"
        "and an addition between another task's load and store is lost. On one CPU\n"
        "too: a race needs only concurrency. A mutex or an atomic counts right but\n"
        "the tasks take turns; a counter per task is right and fast."),
     {"race", "--runs", "1"},
     {"race", "--quick"},
     false},
    {"17-false_sharing.md",
     N_("Counters of their own, in one cache line"),
     N_("Each task adds 1 to its own counter: nothing is shared. Side by side in\n"
        "memory, or a cache line apart: does it matter, on {n_cpus} and on one?"),
     N_("On more than one CPU, side by side is several times slower: CPUs write\n"
        "whole cache lines and pass a shared one back and forth (false sharing).\n"
        "On one CPU both run alike."),
     {"false_sharing", "--runs", "1"},
     {"false_sharing", "--quick"},
     false},
};

const size_t tour_stop_count = sizeof tour_stops / sizeof tour_stops[0];

/* What a hybrid CPU or hyper-threads mean for computing, or "". */
static void shared_cores_text(const struct machine *m, char *out, size_t size)
{
    int cores = machine_count_cores(m, &m->allowed);
    bool hybrid = m->efficiency.count > 0 && m->performance.count > 0;
    bool smt = cores != MACHINE_UNKNOWN && (size_t)cores < m->allowed.count;
    if (hybrid)
        snprintf(out, size, "%s",
                 _("\nBut this is a hybrid CPU: its efficiency cores are slower, so expect less."));
    else if (smt)
        snprintf(out, size,
                 _("\nBut two of these CPUs share each core (hyper-threads, %d cores): expect less."), cores);
    else
        snprintf(out, size, "%s", "");
}

void tour_drop_cut_character(char *text)
{
    size_t len = strlen(text), lead = len;
    while (lead > 0 && ((unsigned char)text[lead - 1] & 0xC0) == 0x80) /* back over its later bytes */
        lead--;
    if (lead == 0)
        return;
    unsigned char c = (unsigned char)text[lead - 1];
    size_t whole = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1; /* bytes the character needs */
    if (len - (lead - 1) < whole)
        text[lead - 1] = '\0';
}

/* A name in the texts and what it stands for on this machine. */
struct fill {
    const char *name;
    char value[256];
};

/* The fill whose name `text` starts with, or NULL. */
static const struct fill *fill_at(const char *text, const struct fill *fills, size_t count)
{
    for (size_t i = 0; i < count; i++)
        if (strncmp(text, fills[i].name, strlen(fills[i].name)) == 0)
            return &fills[i];
    return NULL;
}

void tour_fill(const char *text, const struct machine *m, char *out, size_t size)
{
    double capacity = machine_parallel_capacity(m, &m->allowed);
    size_t n = m->allowed.count;
    struct fill fills[] = {{"{n_cpus}", ""}, {"{n}", "?"}, {"{cpus}", "?"}, {"{use}", "?%"}, {"{ht}", ""}};
    /* TRANSLATORS: how many CPUs, when the machine could not be read */
    snprintf(fills[0].value, sizeof fills[0].value, "%s", _("? CPUs"));
    if (n > 0) { /* else the machine could not be read: "?" says so */
        i18n_count_cpus(n, fills[0].value, sizeof fills[0].value);
        snprintf(fills[1].value, sizeof fills[1].value, "%zu", n);
        snprintf(fills[2].value, sizeof fills[2].value, "%g", capacity);
        snprintf(fills[3].value, sizeof fills[3].value, "%.0f%%", 100.0 * capacity);
        shared_cores_text(m, fills[4].value, sizeof fills[4].value);
    }
    size_t used = 0;
    out[0] = '\0';
    while (*text != '\0') {
        const struct fill *f = fill_at(text, fills, sizeof fills / sizeof fills[0]);
        const char *piece = f != NULL ? f->value : text;
        size_t len = f != NULL ? strlen(piece) : 1;
        if (used + len >= size) { /* cut short rather than overflow; the texts are far shorter */
            tour_drop_cut_character(out);
            break;
        }
        memcpy(out + used, piece, len);
        used += len;
        out[used] = '\0';
        text += f != NULL ? strlen(f->name) : 1;
    }
}
