/*
 * forker: start a program as a child and wait for it: fork(), exec in the
 * child, waitpid() in the parent. What a shell does for `sleep 10 & wait`,
 * without a shell. The timeout demo runs `forker sleep 10`, so that sleep is
 * the demo's grandchild, holding the demo's pipe open as its stdout. The
 * demo gives sleep's full path (never our sleep demo's); forker names it
 * by its last part.
 *
 * Usage: forker PROGRAM [ARG]...
 */
#include "i18n.h"

#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    i18n_init(); /* its line in the demo's language: LANGUAGE, inherited */
    if (argc < 2) {
        fprintf(stderr, "Usage: forker PROGRAM [ARG]...\n");
        return 2;
    }
    pid_t pid = fork();
    if (pid < 0) {
        perror("forker: fork");
        return 1;
    }
    if (pid == 0) {
        execvp(argv[1], argv + 1); /* the child becomes PROGRAM, keeping our stdout */
        perror("forker: exec");
        _exit(127);
    }
    const char *name = strrchr(argv[1], '/'); /* "sleep", for /usr/bin/sleep */
    /* TRANSLATORS: demos/timeout.c reads the child's pid after the last "pid ": keep the two in order */
    printf(_("forker (pid %d): started %s as pid %d, now waiting for it\n"), (int)getpid(),
           name != NULL ? name + 1 : argv[1], (int)pid);
    fflush(stdout);
    int status;
    while (waitpid(pid, &status, 0) < 0)
        continue; /* EINTR */
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}
