/*
 * orphans: for the tests that stop a demo (a fault, a signal, Ctrl-C to the
 * tour) and must find nothing left behind. The test process becomes a
 * subreaper, so whatever the demo started and did not reap becomes the
 * test's own child; afterwards the dead ones are reaped here, and no child
 * may be left alive.
 */
#ifndef ATONCE_TESTS_ORPHANS_H
#define ATONCE_TESTS_ORPHANS_H

#include <criterion/criterion.h>
#include <errno.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

/* From now on, orphans of our descendants are ours. */
static inline void orphans_adopt(void)
{
    cr_assert_eq(prctl(PR_SET_CHILD_SUBREAPER, 1), 0);
}

/* Reaps the dead orphans; fails if any child is still alive. `who` names
 * what started them, for the message. A killed process takes a moment to
 * die and be handed to us, longer on a busy machine: look again for up to
 * 2 s while one still lives. */
static inline void orphans_expect_none_alive(const char *who)
{
    pid_t left = 0;
    for (int tries = 0; tries < 20; tries++) {
        usleep(100 * 1000); /* an orphan would be ours by now */
        errno = 0;
        while ((left = waitpid(-1, NULL, WNOHANG)) > 0) /* dead orphans are fine */
            errno = 0;
        if (left == -1)
            break; /* no child at all */
    }
    cr_expect_eq(left, -1, "a process %s started is still alive after 2 s (pid %d)", who, (int)left);
    cr_expect_eq(errno, ECHILD);
}

#endif
