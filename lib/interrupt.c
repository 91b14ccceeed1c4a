#include "interrupt.h"
#include "progress.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_TRACKED 20000 /* the most children a demo may start at once, with room */

/* The signals that stop a demo, and what it says for each. */
static const struct {
    int sig;
    const char *says;
} stop_signals[] = {
    {SIGINT, ": interrupted (Ctrl-C)\n"},
    {SIGTERM, ": terminated (SIGTERM)\n"},
    {SIGHUP, ": hung up (SIGHUP)\n"},
    {SIGQUIT, ": quit (SIGQUIT)\n"},
};
#define STOP_SIGNALS (sizeof stop_signals / sizeof stop_signals[0])

/* Slots written by any thread, read by the handler: lock-free atomics, so
 * both are safe. A slot holds a pid, minus the pid for a group leader, or
 * 0 when free. */
static atomic_int tracked[MAX_TRACKED];
static atomic_int slots_used; /* slots [0, slots_used) may be in use */
static atomic_int first_free; /* where to start looking for a free slot (a hint, not a promise) */
static atomic_int starting;   /* threads between interrupt_hold and interrupt_release */
static atomic_bool stopping;  /* set once by the first handler: no child may start after it */
static char temp_file[4096];  /* a file to remove when stopped (interrupt_remove_on_stop), or "" */
static atomic_bool has_temp_file;
static pid_t owner; /* the process that installed the handler */
static char name[64];

static void kill_and_reap_tracked(void)
{
    int used = atomic_load(&slots_used);
    for (int i = 0; i < used; i++) {
        pid_t p = atomic_load(&tracked[i]);
        if (p == 0)
            continue;
        kill(p, SIGKILL); /* negative: the whole group */
        pid_t pid = p < 0 ? -p : p;
        while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
            ;
    }
}

/* A thread between interrupt_hold and interrupt_release has started a
 * child, or is about to: wait until it is noted. Threads that reach
 * interrupt_hold from now on see `stopping` and start nothing. Bounded (a
 * thread stuck in fork() must not hang us): after a second, go on. */
static void wait_for_children_to_be_noted(void)
{
    struct timespec now, give_up, pause_a_little = {.tv_nsec = 1000L * 1000};
    clock_gettime(CLOCK_MONOTONIC, &give_up);
    give_up.tv_sec += 1;
    while (atomic_load(&starting) > 0) {
        nanosleep(&pause_a_little, NULL);
        clock_gettime(CLOCK_MONOTONIC, &now);
        if (now.tv_sec > give_up.tv_sec || (now.tv_sec == give_up.tv_sec && now.tv_nsec > give_up.tv_nsec))
            return;
    }
}

static bool erase_line; /* stderr is a terminal that takes "\r\033[K" */

static void on_signal(int sig)
{
    if (getpid() != owner) /* a forked task got the terminal's signal too: just end */
        _exit(128 + sig);
    if (atomic_exchange(&stopping, true)) /* another thread is already stopping us */
        for (;;)
            pause();
    wait_for_children_to_be_noted();
    kill_and_reap_tracked();
    if (atomic_load(&has_temp_file))
        unlink(temp_file);
    /* A progress line may be half-drawn: erase it, and say why we stop. */
    const char *what = ": stopped\n";
    for (size_t i = 0; i < STOP_SIGNALS; i++)
        if (stop_signals[i].sig == sig)
            what = stop_signals[i].says;
    if (erase_line)
        (void)!write(STDERR_FILENO, "\r\033[K", 4);
    (void)!write(STDERR_FILENO, name, strlen(name));
    (void)!write(STDERR_FILENO, what, strlen(what));
    _exit(128 + sig);
}

void interrupt_install(const char *program_name)
{
    owner = getpid();
    erase_line = progress_can_show(); /* decided here: getenv is not safe in a handler */
    size_t n = strlen(program_name);
    n = n < sizeof name - 1 ? n : sizeof name - 1;
    memcpy(name, program_name, n);
    name[n] = '\0';
    struct sigaction sa = {.sa_handler = on_signal};
    sigfillset(&sa.sa_mask); /* one handler at a time in this thread: a second Ctrl-C waits */
    for (size_t i = 0; i < STOP_SIGNALS; i++)
        sigaction(stop_signals[i].sig, &sa, NULL);
}

void interrupt_hold(sigset_t *saved)
{
    sigset_t block;
    sigemptyset(&block);
    for (size_t i = 0; i < STOP_SIGNALS; i++)
        sigaddset(&block, stop_signals[i].sig);
    pthread_sigmask(SIG_BLOCK, &block, saved);
    atomic_fetch_add(&starting, 1);
    if (atomic_load(&stopping)) { /* a handler in another thread is stopping us: start nothing */
        atomic_fetch_sub(&starting, 1);
        for (;;)
            pause(); /* it ends the whole process */
    }
}

void interrupt_release(const sigset_t *saved, pid_t pid, bool group_leader)
{
    if (pid > 0)
        interrupt_track(pid, group_leader);
    atomic_fetch_sub(&starting, 1);
    pthread_sigmask(SIG_SETMASK, saved, NULL);
}

void interrupt_release_in_child(const sigset_t *saved)
{
    pthread_sigmask(SIG_SETMASK, saved, NULL);
}

/* slots_used = max(slots_used, n), against other threads doing the same. */
static void use_slots_up_to(int n)
{
    int used = atomic_load(&slots_used);
    while (used < n && !atomic_compare_exchange_weak(&slots_used, &used, n))
        ;
}

void interrupt_track(pid_t pid, bool group_leader)
{
    int start = atomic_load(&first_free);
    for (int n = 0; n < MAX_TRACKED; n++) {
        int i = (start + n) % MAX_TRACKED, free_slot = 0;
        if (atomic_compare_exchange_strong(&tracked[i], &free_slot, group_leader ? -pid : pid)) {
            use_slots_up_to(i + 1); /* the pid first, then the count */
            atomic_store(&first_free, i + 1);
            return;
        }
    }
}

/* Called just after the child was reaped: in the moment between, the
 * handler may kill a pid that is gone, which fails harmlessly (the kernel
 * does not hand a pid out again that fast). */
void interrupt_untrack(pid_t pid)
{
    int used = atomic_load(&slots_used);
    for (int i = 0; i < used; i++) {
        int p = atomic_load(&tracked[i]);
        if ((p == pid || p == -pid) && atomic_compare_exchange_strong(&tracked[i], &p, 0)) {
            int hint = atomic_load(&first_free);
            if (i < hint)
                atomic_store(&first_free, i); /* a race may lose this: it is only a hint */
            return;
        }
    }
}

void interrupt_remove_on_stop(const char *path)
{
    atomic_store(&has_temp_file, false); /* never read half-written */
    if (path == NULL)
        return;
    size_t n = strlen(path);
    if (n >= sizeof temp_file)
        return;
    memcpy(temp_file, path, n + 1);
    atomic_store(&has_temp_file, true);
}
