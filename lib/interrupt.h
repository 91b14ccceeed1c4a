/*
 * interrupt: Ctrl-C (SIGINT) or SIGTERM in the middle of a demo leaves
 * nothing behind. Every child process the library starts (a forked task,
 * a spawned program) is noted here until it is reaped; on the signal, the
 * handler kills each one still noted (its whole group, for a group
 * leader), reaps it, and exits 128 + the signal: 130 for Ctrl-C, 143 for
 * SIGTERM, as a shell reports them.
 *
 * Without this, a forked child keeps running after its parent dies, and
 * in a container whose init does not reap orphans it stays as a zombie.
 * Threads need nothing: they end with their process.
 *
 * The handler uses only async-signal-safe calls (kill, waitpid, write,
 * _exit). A forked child inherits it: there it only exits.
 */
#ifndef ATONCE_INTERRUPT_H
#define ATONCE_INTERRUPT_H

#include <stdbool.h>
#include <sys/types.h>

/* Installs the handler for SIGINT and SIGTERM in this process. */
void interrupt_install(const char *program_name);

/* Notes a child we started (a group leader: its group too), and forgets
 * it once reaped. Safe to call when the handler is not installed. */
void interrupt_track(pid_t pid, bool group_leader);
void interrupt_untrack(pid_t pid);

#endif
