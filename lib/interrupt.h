/*
 * interrupt: Ctrl-C (SIGINT), SIGTERM, a hangup (SIGHUP) or Ctrl-\
 * (SIGQUIT) in the middle of a demo leaves nothing behind. Every child
 * process the library starts (a forked task, a spawned program) is noted
 * here until it is reaped; on the signal, the handler kills each one still
 * noted (its whole group, for a group leader), reaps it, and exits 128 +
 * the signal: 130 for Ctrl-C, 143 for SIGTERM, as a shell reports them.
 *
 * Without this, a forked child keeps running after its parent dies, and
 * in a container whose init does not reap orphans it stays as a zombie.
 * Threads need nothing: they end with their process.
 *
 * A child exists a moment before it can be noted: fork() has returned in
 * the child, not yet in the parent. A signal handled in that moment would
 * miss it. So a child is started between interrupt_hold() and
 * interrupt_release(): the starting thread blocks the signals, and a
 * handler running in another thread waits until the child is noted (and
 * a thread that reaches interrupt_hold once the handler runs starts nothing).
 *
 * The handler uses only async-signal-safe calls (kill, waitpid, write,
 * unlink, nanosleep, clock_gettime, _exit) and lock-free atomics. A forked child inherits it: there it only
 * exits.
 */
#ifndef ATONCE_INTERRUPT_H
#define ATONCE_INTERRUPT_H

#include <signal.h>
#include <stdbool.h>
#include <sys/types.h>

/* Installs the handler for SIGINT, SIGTERM, SIGHUP and SIGQUIT in this process. */
void interrupt_install(const char *program_name);

/* Before fork() or posix_spawn(): blocks the four signals in this thread
 * until interrupt_release; `saved` keeps the mask to restore. */
void interrupt_hold(sigset_t *saved);

/* In the parent, after fork() or posix_spawn(): notes `pid` when it is
 * over 0 (see interrupt_track), then restores the mask, so that a signal
 * that came meanwhile is handled now, with the child noted. */
void interrupt_release(const sigset_t *saved, pid_t pid, bool group_leader);

/* In a forked child, first thing: restores the mask the parent had. */
void interrupt_release_in_child(const sigset_t *saved);

/* Notes a child we started (a group leader: its group too), and forgets
 * it once reaped. Safe from any thread, and when the handler is not
 * installed. Prefer interrupt_release, which closes the gap after fork(). */
void interrupt_track(pid_t pid, bool group_leader);
void interrupt_untrack(pid_t pid);

/* A file being written (a temporary one, renamed into place when whole):
 * removed if a signal stops us first. NULL: none any more. One at a time. */
void interrupt_remove_on_stop(const char *path);

#endif
