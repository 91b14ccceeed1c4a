#include "interrupt.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAX_TRACKED 20000 /* the most children a demo may start at once, with room */

/* Slots written by the main flow, read by the handler. A slot holds a pid,
 * minus the pid for a group leader, or 0 when free. */
static volatile sig_atomic_t tracked[MAX_TRACKED];
static volatile sig_atomic_t slots_used; /* slots [0, slots_used) may be in use */
static int first_free;                   /* no free slot below this one (a hint, not a promise) */
static pid_t owner;                      /* the process that installed the handler */
static char name[64];

static void on_signal(int sig)
{
    if (getpid() != owner) /* a forked task got the terminal's signal too: just end */
        _exit(128 + sig);
    for (int i = 0; i < slots_used; i++) {
        pid_t p = tracked[i];
        if (p == 0)
            continue;
        kill(p, SIGKILL); /* negative: the whole group */
        pid_t pid = p < 0 ? -p : p;
        while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
            ;
    }
    /* A progress line may be half-drawn: erase it, and say why we stop. */
    const char *what = sig == SIGINT ? ": interrupted (Ctrl-C)\n" : ": terminated (SIGTERM)\n";
    if (isatty(STDERR_FILENO))
        (void)!write(STDERR_FILENO, "\r\033[K", 4);
    (void)!write(STDERR_FILENO, name, strlen(name));
    (void)!write(STDERR_FILENO, what, strlen(what));
    _exit(128 + sig);
}

void interrupt_install(const char *program_name)
{
    owner = getpid();
    size_t n = strlen(program_name);
    n = n < sizeof name - 1 ? n : sizeof name - 1;
    memcpy(name, program_name, n);
    name[n] = '\0';
    struct sigaction sa = {.sa_handler = on_signal};
    sigfillset(&sa.sa_mask); /* one handler at a time: a second Ctrl-C waits */
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
}

void interrupt_track(pid_t pid, bool group_leader)
{
    for (int i = first_free; i < MAX_TRACKED; i++)
        if (tracked[i] == 0) {
            tracked[i] = group_leader ? -pid : pid; /* the pid first, then the count */
            if (i >= slots_used)
                slots_used = i + 1;
            first_free = i + 1;
            return;
        }
}

/* Called just after the child was reaped: in the moment between, the
 * handler may kill a pid that is gone, which fails harmlessly (the kernel
 * does not hand a pid out again that fast). */
void interrupt_untrack(pid_t pid)
{
    for (int i = 0; i < slots_used; i++)
        if (tracked[i] == pid || tracked[i] == -pid) {
            tracked[i] = 0;
            first_free = i < first_free ? i : first_free;
            return;
        }
}
