/*
 * timeout: start `sleep 10`, give communicate a 0.1 s timeout, catch the
 * timeout, terminate the child and wait: it ends with returncode -15, as the
 * seed's Popen.communicate(timeout=0.1) / terminate() / wait() prints.
 *
 * Then the case the seed does not show: a grandchild. `forker sleep 10`
 * starts sleep as its own child, which inherits the pipe to us. Stopping
 * only forker leaves sleep holding the pipe open: reading it would wait
 * 10 s. Stopping forker's whole process group ends both at once.
 *
 * Usage: timeout [--timeout S]
 *
 * notes/09-timeout.md sets the C beside the Python.
 */
#include "child.h"
#include "interrupt.h"
#include "options.h"
#include "report.h"
#include "seed_common.h"
#include "stopwatch.h"

#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define GRACE           1.0  /* seconds between SIGTERM and SIGKILL */
#define DRAIN_LIMIT     0.5  /* how long we read a pipe after stopping its writer */
#define FATE_SETTLE     0.2  /* how long a killed process may take to become a zombie */
#define LINE_LIMIT      10.0 /* seconds forker may take to print its line on a busy machine */
#define LINE_SLICE      0.01 /* how long each wait for that line is */
#define LINE_LIMIT_TEXT "10 s"

static double timeout = 0.1;
static char sleep_path[PATH_MAX]; /* coreutils' sleep: build/demos/sleep is our sleep demo */

static const struct demo_flag flags[] = {
    {"timeout", DEMO_FLAG_SECONDS, "S", N_("communicate's timeout (default 0.1)"), &timeout, NULL},
    {0},
};

static const struct demo_info demo = {
    .name = "timeout",
    .summary = N_("Stops `sleep 10` after a 0.1 s communicate timeout (returncode -15), then a\n"
                  "grandchild that holds the pipe: only stopping the process group ends it."),
    .note = "notes/09-timeout.md",
    .flags = flags,
};

/* The path of forker, built next to this program. */
static int forker_path(char *buf, size_t size)
{
    char self[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    if (n < 0)
        return -errno;
    self[n] = '\0';
    snprintf(buf, size, "%s/forker", dirname(self));
    return 0;
}

/* Part 1: the seed's example. */
static int sleep_with_timeout(void)
{
    struct child c;
    struct child_error error = {0};
    struct child_options options = {.executable = sleep_path};
    if (child_spawn(&c, (const char *const[]){"sleep", "10", NULL}, &options, &error) != 0)
        return seed_fail(demo.name, &error);
    printf(_("parent: started sleep 10 (pid %d)\n"), (int)c.pid);
    double start = stopwatch_now();
    int err = child_communicate(&c, NULL, timeout, &error);
    /* TRANSLATORS: "parent: communicate(timeout=0.1): timed out after 0.100 s" (or "returned") */
    printf(_("parent: communicate(timeout=%g): %s after %.3f s\n"), timeout,
           err == -ETIMEDOUT ? _("timed out") : _("returned"), stopwatch_now() - start);
    if (err != 0 && err != -ETIMEDOUT) {
        child_close(&c);
        return seed_fail(demo.name, &error);
    }
    child_terminate(&c, NULL); /* SIGTERM */
    child_wait(&c, -1.0, NULL);
    char how[64];
    seed_describe(&c, how, sizeof how);
    /* TRANSLATORS: "parent: terminate(), wait(): sleep killed by SIGTERM; returncode -15" */
    printf(_("parent: terminate(), wait(): sleep %s; returncode %d\n"), how, child_returncode(&c));
    int status = seed_expect_returncode(demo.name, &c, -SIGTERM); /* not if it ended on its own */
    child_close(&c);
    return status;
}

/* Reads forker's stdout until its line has come, in short slices: on a
 * busy machine forker may start late, and the lesson waits for it
 * (readiness, not a deadline), for at most LINE_LIMIT. Returns the last
 * communicate's result: -ETIMEDOUT while forker waits. */
static int read_forker_line(struct child *c, struct child_buffer *out, struct child_error *error)
{
    struct child_io io = {.out = out};
    double give_up = stopwatch_now() + LINE_LIMIT;
    int err;
    do
        err = child_communicate(c, &io, LINE_SLICE, error);
    while (err == -ETIMEDOUT && (out->data == NULL || strchr(out->data, '\n') == NULL) &&
           stopwatch_now() < give_up);
    return err;
}

/* Whether `pid` is a child of `parent`, from /proc/PID/stat ("pid (name) S
 * ppid ..."): the pid read from forker's line, whatever order a translation
 * put its numbers in, is forker's child before we note it for a signal. */
static bool is_child_of(pid_t pid, pid_t parent)
{
    char path[64], stat[512];
    snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
    FILE *f = pid > 0 ? fopen(path, "r") : NULL;
    size_t n = f != NULL ? fread(stat, 1, sizeof stat - 1, f) : 0;
    if (f != NULL)
        fclose(f);
    stat[n] = '\0';
    const char *after_name = strrchr(stat, ')');
    int ppid = 0;
    return after_name != NULL && sscanf(after_name, ") %*c %d", &ppid) == 1 && ppid == (int)parent;
}

/* Starts `forker sleep 10` with its stdout piped to us and reads its line,
 * which names its child sleep: *grandchild. sleep is forker's child, not
 * ours, so the signals wait until it is noted too (in forker's own group it
 * is stopped with the group). Returns the line's communicate result. */
static int spawn_forker(struct child *c, bool own_group, struct child_buffer *out, pid_t *grandchild,
                        struct child_error *error)
{
    char forker[PATH_MAX];
    if (forker_path(forker, sizeof forker) != 0) {
        error->step = CHILD_STEP_SPAWN;
        error->error = errno;
        snprintf(error->program, sizeof error->program, "forker");
        return -error->error;
    }
    struct child_options options = {.out.mode = CHILD_PIPE, .new_process_group = own_group};
    sigset_t saved;
    interrupt_hold(&saved);
    int err = child_spawn(c, (const char *const[]){forker, sleep_path, "10", NULL}, &options, error);
    if (err == 0)
        err = read_forker_line(c, out, error);
    /* "forker (pid 7): started sleep as pid 8, ...": its child's pid follows the whole line's last
     * "pid ", in every language forker speaks (demos/forker.c) */
    const char *as_pid = NULL, *end = out->data != NULL ? strchr(out->data, '\n') : NULL;
    for (const char *p = end != NULL ? strstr(out->data, "pid ") : NULL; p != NULL && p < end;
         p = strstr(p + 1, "pid "))
        as_pid = p;
    if (as_pid != NULL && is_child_of((pid_t)atoi(as_pid + 4), c->pid)) /* never another process's pid */
        *grandchild = (pid_t)atoi(as_pid + 4);
    interrupt_release(&saved, own_group ? -1 : *grandchild, false);
    return err;
}

/* Starts forker, prints its line, then shows communicate timing out while
 * forker waits for sleep. Returns 0 or 1. */
static int start_forker(struct child *c, bool own_group, pid_t *grandchild)
{
    struct child_error error = {0};
    struct child_buffer out = {0};
    *grandchild = -1;
    int err = spawn_forker(c, own_group, &out, grandchild, &error);
    if (err == -ETIMEDOUT && *grandchild > 0) /* the lesson: one communicate with the demo's timeout */
        err = child_communicate(c, NULL, timeout, &error);
    if (err != 0 && err != -ETIMEDOUT)
        seed_fail(demo.name, &error);
    else if (err == 0 && *grandchild > 0) { /* its child ended on its own, and forker with it */
        char how[64];
        child_describe(c, how, sizeof how);
        fprintf(stderr, "timeout: forker: %s before the timeout: its child sleep did not sleep\n", how);
    } else if (*grandchild <= 0) {
        const char *said = out.data != NULL ? out.data : "nothing";
        fprintf(stderr, "timeout: forker %s without naming its child (it printed: %.*s)\n",
                err == 0 ? "exited" : "waited " LINE_LIMIT_TEXT, (int)strcspn(said, "\n"), said);
    } else {
        printf("%s", out.data);
        printf(_("parent: communicate(timeout=%g) timed out: forker is still waiting for sleep\n"), timeout);
    }
    child_buffer_free(&out);
    return *grandchild > 0 && err == -ETIMEDOUT ? 0 : 1;
}

/* Reads the pipe for at most DRAIN_LIMIT; says how long until it closed. */
static void drain(struct child *c, const char *what)
{
    double start = stopwatch_now();
    int err = child_communicate(c, NULL, DRAIN_LIMIT, NULL);
    if (err == -ETIMEDOUT)
        /* TRANSLATORS: "parent: after stopping forker: the pipe is still open after 0.5 s" */
        printf(_("parent: %s: the pipe is still open after %.1f s\n"
                 "        (reading it to the end would take 10 s)\n"),
               what, DRAIN_LIMIT);
    else
        /* TRANSLATORS: "parent: after stopping the group: the pipe closed 0.000 s later" */
        printf(_("parent: %s: the pipe closed %.3f s later\n"), what, stopwatch_now() - start);
}

/* A process's state letter from /proc/PID/stat ('S', 'R', 'Z', ...), or
 * 0 when it is gone. */
static char process_state(pid_t pid)
{
    char path[64], stat[512];
    snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
    FILE *f = fopen(path, "r");
    if (f == NULL)
        return 0;
    size_t n = fread(stat, 1, sizeof stat - 1, f);
    fclose(f);
    stat[n] = '\0';
    const char *after_name = strrchr(stat, ')'); /* "pid (name) S ..." */
    return after_name != NULL && after_name[1] == ' ' ? after_name[2] : '?';
}

/* What became of a process that is not our child, in the output's language. A killed orphan stays a
 * zombie ('Z') until its new parent (init) reaps it: dead, holding nothing
 * open. A process being killed closes its files a moment before it turns
 * into a zombie, so look again for up to FATE_SETTLE seconds before
 * calling it alive. */
static const char *fate(pid_t pid)
{
    double give_up = stopwatch_now() + FATE_SETTLE;
    for (;;) {
        char state = process_state(pid);
        if (state == 0)
            return _("gone");
        if (state == 'Z' || state == 'X')
            return _("dead (a zombie until init reaps it)");
        if (stopwatch_now() > give_up)
            return _("still running");
        nanosleep(&(struct timespec){.tv_nsec = 10L * 1000 * 1000}, NULL);
    }
}

/* Part 2, naive: signal forker alone; sleep lives on, holding the pipe. */
static int grandchild_naive(void)
{
    struct child c = {.pid = -1, .pidfd = -1, .in = -1, .out = -1, .err = -1};
    pid_t grandchild = -1;
    printf("\n");
    printf("%s", _("The naive way: forker in our process group, stopped on its own\n"));
    int status = start_forker(&c, false, &grandchild);
    if (status == 0) {
        child_stop(&c, GRACE, NULL); /* SIGTERM to forker only */
        char how[64];
        seed_describe(&c, how, sizeof how);
        /* TRANSLATORS: "parent: stopped forker alone: forker killed by SIGTERM" */
        printf(_("parent: stopped forker alone: forker %s\n"), how);
        drain(&c, _("after stopping forker"));
        /* TRANSLATORS: "...(pid 29775) is still running" (or "gone", or "dead (a zombie until ...)") */
        printf(_("parent: its child sleep (pid %d) is %s\n"), (int)grandchild, fate(grandchild));
        status = seed_expect_returncode(demo.name, &c, -SIGTERM);
    }
    if (grandchild > 0) {
        kill(grandchild, SIGKILL); /* clean up the orphan we left behind */
        interrupt_untrack(grandchild);
    }
    child_close(&c);
    return status;
}

/* Part 2, fixed: forker leads its own group; stop the whole group. */
static int grandchild_fixed(void)
{
    struct child c = {.pid = -1, .pidfd = -1, .in = -1, .out = -1, .err = -1};
    pid_t grandchild = -1;
    printf("\n");
    printf("%s", _("The fixed way: forker leads a new process group, and the group is stopped\n"));
    int status = start_forker(&c, true, &grandchild);
    if (status == 0) {
        double start = stopwatch_now();
        child_stop(&c, GRACE, NULL); /* SIGTERM to the group: forker and sleep */
        printf(_("parent: stopped the group in %.3f s\n"), stopwatch_now() - start);
        drain(&c, _("after stopping the group"));
        /* TRANSLATORS: "parent: forker's child sleep (pid 29775) is dead (a zombie until init reaps it)" */
        printf(_("parent: forker's child sleep (pid %d) is %s\n"), (int)grandchild, fate(grandchild));
        status = seed_expect_returncode(demo.name, &c, -SIGTERM);
    }
    child_close(&c);
    return status;
}

int main(int argc, char **argv)
{
    struct options opts;
    int done = options_parse(argc, argv, &demo, &opts);
    if (done != OPTIONS_RUN)
        return done;
    struct child_error error = {0};
    if (seed_find_program("sleep", sleep_path, sizeof sleep_path, &error) != 0)
        return seed_fail(demo.name, &error);
    int status = sleep_with_timeout();
    if (status == 0)
        status = grandchild_naive();
    if (status == 0)
        status = grandchild_fixed();
    if (status == 0)
        report_note(&demo);
    return status;
}
