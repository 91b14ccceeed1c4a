#include "child.h"

#include "interrupt.h"

#include "stopwatch.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/pidfd.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

#define CHUNK 65536 /* bytes moved per read or write */

/* ---- errors ---------------------------------------------------------- */

const char *child_step_name(enum child_step step)
{
    static const char *const names[] = {
        [CHILD_STEP_NONE] = "none",     [CHILD_STEP_PIPE] = "pipe",       [CHILD_STEP_SPAWN] = "spawn",
        [CHILD_STEP_EXEC] = "exec",     [CHILD_STEP_POLL] = "poll",       [CHILD_STEP_WAIT] = "wait",
        [CHILD_STEP_SIGNAL] = "signal", [CHILD_STEP_TIMEOUT] = "timeout", [CHILD_STEP_CHECK] = "check",
        [CHILD_STEP_CWD] = "cwd",
    };
    return step <= CHILD_STEP_CWD ? names[step] : "?";
}

void child_error_format(const struct child_error *e, char *buf, size_t size)
{
    if (e->step == CHILD_STEP_CHECK)
        snprintf(buf, size, "check '%s': %s", e->program, e->detail);
    else if (e->step == CHILD_STEP_TIMEOUT) /* not ETIMEDOUT's text, "Connection timed out" */
        snprintf(buf, size, "timeout '%s': did not finish in time", e->program);
    else if (e->step == CHILD_STEP_CWD)
        snprintf(buf, size, "cwd '%s' (for '%s'): %s", e->detail, e->program, strerror(e->error));
    else
        snprintf(buf, size, "%s '%s': %s", child_step_name(e->step), e->program, strerror(e->error));
}

/* Fills the error record (when there is one) and returns -err. */
static int fail(struct child_error *e, enum child_step step, int err, const char *program)
{
    if (e != NULL) {
        e->step = step;
        e->error = err;
        snprintf(e->program, sizeof e->program, "%s", program != NULL ? program : "");
        e->detail[0] = '\0';
    }
    return -err;
}

/* ---- small helpers --------------------------------------------------- */

static void close_fd(int *fd)
{
    if (*fd >= 0)
        close(*fd);
    *fd = -1;
}

/* Milliseconds from now to `deadline` for poll(): -1 for no deadline,
 * rounded up so that we never wake just before it. */
static int ms_until(double deadline)
{
    if (isinf(deadline))
        return -1;
    double ms = ceil((deadline - stopwatch_now()) * 1000.0);
    return ms <= 0.0 ? 0 : ms > 60000.0 ? 60000 : (int)ms;
}

static double deadline_after(double timeout)
{
    return timeout < 0.0 ? INFINITY : stopwatch_now() + timeout;
}

/* A pipe whose ends are close-on-exec and above 2, so that dup2() of an
 * end onto 0, 1 or 2 in the child is never a no-op that keeps CLOEXEC. */
static int make_pipe(int fds[2])
{
    if (pipe2(fds, O_CLOEXEC) != 0)
        return -errno;
    for (int i = 0; i < 2; i++) {
        if (fds[i] > 2)
            continue;
        int moved = fcntl(fds[i], F_DUPFD_CLOEXEC, 3);
        int err = errno;
        close(fds[i]);
        fds[i] = moved;
        if (moved < 0) {
            close_fd(&fds[1 - i]);
            return -err;
        }
    }
    return 0;
}

void child_buffer_free(struct child_buffer *b)
{
    free(b->data);
    *b = (struct child_buffer){0};
}

static int buffer_append(struct child_buffer *b, const char *data, size_t len)
{
    if (b->len + len + 1 > b->cap) {
        size_t cap = b->cap > 0 ? b->cap : 4096;
        while (cap < b->len + len + 1)
            cap *= 2;
        char *grown = realloc(b->data, cap);
        if (grown == NULL)
            return -ENOMEM;
        b->data = grown;
        b->cap = cap;
    }
    memcpy(b->data + b->len, data, len);
    b->len += len;
    b->data[b->len] = '\0';
    return 0;
}

/* ---- spawning -------------------------------------------------------- */

/* Is `entry` ("NAME=value") the variable `name` (either "NAME" or "NAME=...")? */
static bool same_variable(const char *entry, const char *name)
{
    size_t len = strcspn(name, "=");
    return strncmp(entry, name, len) == 0 && entry[len] == '=';
}

static bool listed(const char *entry, const char *const *names)
{
    for (size_t i = 0; names != NULL && names[i] != NULL; i++)
        if (same_variable(entry, names[i]))
            return true;
    return false;
}

/* The child's environment: the parent's, less what is unset or set anew,
 * plus what is set. The strings are borrowed; free only the array. */
static char **build_environment(const struct child_options *o)
{
    size_t count = 0, set_count = 0;
    while (environ[count] != NULL)
        count++;
    while (o->env_set != NULL && o->env_set[set_count] != NULL)
        set_count++;
    char **env = calloc(count + set_count + 1, sizeof *env);
    if (env == NULL)
        return NULL;
    size_t n = 0;
    for (size_t i = 0; i < count; i++)
        if (!listed(environ[i], o->env_unset) && !listed(environ[i], o->env_set))
            env[n++] = environ[i];
    for (size_t i = 0; i < set_count; i++)
        env[n++] = (char *)o->env_set[i]; /* posix_spawn's type; it does not write */
    return env;
}

/* Adds the file action that connects the child's fd `target`. */
static int connect_stream(posix_spawn_file_actions_t *actions, const struct child_stream *s, int target,
                          int pipe_end)
{
    switch (s->mode) {
    case CHILD_INHERIT:
        return 0;
    case CHILD_PIPE:
        return posix_spawn_file_actions_adddup2(actions, pipe_end, target);
    case CHILD_DEVNULL:
        return posix_spawn_file_actions_addopen(actions, target, "/dev/null",
                                                target == 0 ? O_RDONLY : O_WRONLY, 0);
    case CHILD_FD:
        return posix_spawn_file_actions_adddup2(actions, s->fd, target);
    case CHILD_TO_STDOUT:
        if (target != 2)
            return EINVAL;                                      /* stderr only */
        return posix_spawn_file_actions_adddup2(actions, 1, 2); /* after stdout is in place */
    }
    return EINVAL;
}

/* posix_spawn reports both its own failures and exec's. Which was it? */
static enum child_step spawn_step(int err)
{
    switch (err) {
    case ENOENT:
    case EACCES:
    case ENOEXEC:
    case ENOTDIR:
    case ELOOP:
    case ENAMETOOLONG:
    case ETXTBSY:
    case EISDIR:
    case EPERM:
        return CHILD_STEP_EXEC;
    default:
        return CHILD_STEP_SPAWN;
    }
}

/* The pipes a child needs: pipes[0] stdin, [1] stdout, [2] stderr; each
 * {read end, write end}, or {-1, -1}. */
static int make_pipes(const struct child_options *o, int pipes[3][2])
{
    const struct child_stream *streams[3] = {&o->in, &o->out, &o->err};
    for (int i = 0; i < 3; i++) {
        pipes[i][0] = pipes[i][1] = -1;
        if (streams[i]->mode == CHILD_PIPE) {
            int err = make_pipe(pipes[i]);
            if (err != 0)
                return err;
        }
    }
    return 0;
}

/* The file actions run in order: stdin, stdout, stderr. A CHILD_FD source
 * of 0, 1 or 2 (say stderr into the parent's fd 1) would be read after an
 * earlier action replaced it in the child. Such sources are copied above 2
 * first; `moved` holds the copies (or -1) to close after spawning. */
static int move_low_sources(struct child_options *o, int moved[3])
{
    struct child_stream *streams[3] = {&o->in, &o->out, &o->err};
    for (int target = 0; target < 3; target++) {
        moved[target] = -1;
        struct child_stream *s = streams[target];
        if (s->mode != CHILD_FD || s->fd > 2 || s->fd == target)
            continue;
        if ((moved[target] = fcntl(s->fd, F_DUPFD_CLOEXEC, 3)) < 0)
            return -errno;
        s->fd = moved[target];
    }
    return 0;
}

static void close_pipes(int pipes[3][2])
{
    for (int i = 0; i < 3; i++) {
        close_fd(&pipes[i][0]);
        close_fd(&pipes[i][1]);
    }
}

static int set_up_actions(posix_spawn_file_actions_t *actions, const struct child_options *o, int pipes[3][2])
{
    int err;
    if ((err = connect_stream(actions, &o->in, 0, pipes[0][0])) != 0 ||
        (err = connect_stream(actions, &o->out, 1, pipes[1][1])) != 0 ||
        (err = connect_stream(actions, &o->err, 2, pipes[2][1])) != 0)
        return err;
    if (o->cwd != NULL && (err = posix_spawn_file_actions_addchdir_np(actions, o->cwd)) != 0)
        return err;
    return posix_spawn_file_actions_addclosefrom_np(actions, 3); /* only 0, 1, 2 stay open */
}

static int set_up_attributes(posix_spawnattr_t *attr, const struct child_options *o)
{
    sigset_t all, none;
    sigfillset(&all);
    sigemptyset(&none);
    short flags = POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK;
    int err;
    if ((err = posix_spawnattr_setsigdefault(attr, &all)) != 0 || /* default dispositions */
        (err = posix_spawnattr_setsigmask(attr, &none)) != 0)     /* nothing blocked */
        return err;
    if (o->new_process_group) {
        flags |= POSIX_SPAWN_SETPGROUP;
        if ((err = posix_spawnattr_setpgroup(attr, 0)) != 0) /* 0: its own pid */
            return err;
    }
    return posix_spawnattr_setflags(attr, flags);
}

/* posix_spawn failed with ENOENT or similar: was it the program, or the
 * directory to start in? */
static int blame(const struct child_options *o, int err, const char *program, struct child_error *error)
{
    enum child_step step = spawn_step(err);
    if (step == CHILD_STEP_EXEC && o->cwd != NULL) {
        int dir = open(o->cwd, O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (dir < 0) {
            int cwd_err = errno;
            fail(error, CHILD_STEP_CWD, cwd_err, program);
            if (error != NULL)
                snprintf(error->detail, sizeof error->detail, "%s", o->cwd);
            return -cwd_err;
        }
        close(dir);
    }
    return fail(error, step, err, program);
}

int child_spawn(struct child *c, const char *const argv[], const struct child_options *options,
                struct child_error *error)
{
    struct child_options o = options != NULL ? *options : (struct child_options){0};
    *c = (struct child){.pid = -1, .pidfd = -1, .in = -1, .out = -1, .err = -1};
    snprintf(c->program, sizeof c->program, "%s", argv[0]);

    /* All -1 first: a failure part-way through either step closes only what was opened. */
    int pipes[3][2] = {{-1, -1}, {-1, -1}, {-1, -1}}, moved[3] = {-1, -1, -1};
    int err = make_pipes(&o, pipes);
    if (err == 0)
        err = move_low_sources(&o, moved);
    if (err != 0) {
        close_pipes(pipes);
        for (int i = 0; i < 3; i++)
            close_fd(&moved[i]);
        return fail(error, CHILD_STEP_PIPE, -err, c->program);
    }
    bool custom_env = o.env_set != NULL || o.env_unset != NULL;
    char **env = custom_env ? build_environment(&o) : environ;
    posix_spawn_file_actions_t actions;
    posix_spawnattr_t attr;
    posix_spawn_file_actions_init(&actions);
    posix_spawnattr_init(&attr);
    bool spawned = false;
    if (env == NULL)
        err = ENOMEM;
    else if ((err = set_up_actions(&actions, &o, pipes)) == 0 && (err = set_up_attributes(&attr, &o)) == 0) {
        /* posix_spawn* return the error instead of setting errno. The
         * child's mask is set in attr: holding the signals here does not
         * reach it. */
        sigset_t saved;
        interrupt_hold(&saved);
        const char *file = o.executable != NULL ? o.executable : argv[0]; /* a path is not searched */
        err = posix_spawnp(&c->pid, file, &actions, &attr, (char *const *)argv, env);
        interrupt_release(&saved, err == 0 ? c->pid : -1, o.new_process_group); /* Ctrl-C stops it too */
        spawned = true;
    }
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attr);
    if (custom_env)
        free(env);
    for (int i = 0; i < 3; i++)
        close_fd(&moved[i]);

    /* The child has its own copies now: keep only the parent's ends. */
    close_fd(&pipes[0][0]);
    close_fd(&pipes[1][1]);
    close_fd(&pipes[2][1]);
    c->in = pipes[0][1];
    c->out = pipes[1][0];
    c->err = pipes[2][0];
    if (err != 0) { /* glibc has already reaped a child whose exec failed */
        close_fd(&c->in);
        close_fd(&c->out);
        close_fd(&c->err);
        c->pid = -1;
        if (!spawned) /* setting up failed: memory, or a stream it cannot use */
            return fail(error, err == ENOMEM || err == EINVAL ? CHILD_STEP_PIPE : CHILD_STEP_SPAWN, err,
                        c->program);
        return blame(&o, err, c->program, error);
    }
    c->group_leader = o.new_process_group;
    c->pidfd = pidfd_open(c->pid, 0); /* -1 (ENOSYS) before Linux 5.3: we fall back to the pid */
    return 0;
}

/* ---- waiting --------------------------------------------------------- */

/* Waits until the child has exited, WITHOUT reaping it: while it is an
 * unreaped zombie its pid (and group id) cannot be reused, so signalling
 * its group stays safe. Returns 0, -ETIMEDOUT or -errno. */
static int wait_exited(struct child *c, double deadline)
{
    if (c->reaped)
        return 0;
    if (c->pidfd >= 0) { /* a pidfd becomes readable when the child exits */
        for (;;) {
            struct pollfd p = {.fd = c->pidfd, .events = POLLIN};
            int n = poll(&p, 1, ms_until(deadline));
            if (n > 0)
                return 0;
            if (n < 0 && errno != EINTR)
                return -errno;
            if (n == 0 && stopwatch_now() >= deadline)
                return -ETIMEDOUT;
        }
    }
    /* No pidfd: ask without reaping, sleeping in growing steps (0.5 ms up
     * to 50 ms, as Python's Popen.wait does), never spinning. */
    double step = 0.0005;
    for (;;) {
        siginfo_t info = {0};
        if (waitid(P_PID, (id_t)c->pid, &info, WEXITED | WNOHANG | WNOWAIT) != 0) {
            if (errno == EINTR)
                continue;
            return -errno;
        }
        if (info.si_pid != 0)
            return 0;
        double left = deadline - stopwatch_now();
        if (left <= 0.0)
            return -ETIMEDOUT;
        double nap = step < left ? step : left;
        struct timespec ts = {.tv_sec = (time_t)nap, .tv_nsec = (long)((nap - floor(nap)) * 1e9)};
        nanosleep(&ts, NULL);
        step = step * 2 < 0.05 ? step * 2 : 0.05;
    }
}

/* Collects the exit status of a child known to have exited. */
static int reap(struct child *c)
{
    int status;
    if (c->reaped)
        return 0; /* never twice: the pid may belong to someone else by now */
    while (waitpid(c->pid, &status, 0) < 0)
        if (errno != EINTR)
            return -errno;
    c->reaped = true;
    c->status = status;
    interrupt_untrack(c->pid);
    return 0;
}

int child_poll(struct child *c, struct child_error *error)
{
    if (c->reaped)
        return 1;
    int status;
    pid_t done;
    while ((done = waitpid(c->pid, &status, WNOHANG)) < 0)
        if (errno != EINTR)
            return fail(error, CHILD_STEP_WAIT, errno, c->program);
    if (done == 0)
        return 0;
    c->reaped = true;
    c->status = status;
    interrupt_untrack(c->pid);
    return 1;
}

int child_wait(struct child *c, double timeout, struct child_error *error)
{
    int err = wait_exited(c, deadline_after(timeout));
    if (err == -ETIMEDOUT)
        return fail(error, CHILD_STEP_TIMEOUT, ETIMEDOUT, c->program);
    if (err == 0)
        err = reap(c);
    return err == 0 ? 0 : fail(error, CHILD_STEP_WAIT, -err, c->program);
}

/* ---- signals --------------------------------------------------------- */

int child_send_signal(struct child *c, int sig, struct child_error *error)
{
    if (c->reaped || c->pid <= 0)
        return 0; /* its pid is no longer ours to signal */
    int rc;
    if (c->group_leader)
        rc = kill(-c->pid, sig); /* the whole group; its id is the leader's pid */
    else if (c->pidfd >= 0)
        rc = pidfd_send_signal(c->pidfd, sig, NULL, 0);
    else
        rc = kill(c->pid, sig);
    if (rc != 0 && errno != ESRCH) /* ESRCH: already gone */
        return fail(error, CHILD_STEP_SIGNAL, errno, c->program);
    return 0;
}

int child_terminate(struct child *c, struct child_error *error)
{
    return child_send_signal(c, SIGTERM, error);
}

int child_kill(struct child *c, struct child_error *error)
{
    return child_send_signal(c, SIGKILL, error);
}

int child_stop(struct child *c, double grace, struct child_error *error)
{
    if (c->reaped || c->pid <= 0)
        return 0;
    int err = child_terminate(c, error);
    if (err != 0)
        return err;
    err = wait_exited(c, deadline_after(grace > 0.0 ? grace : 0.0));
    if (err == -ETIMEDOUT) { /* it did not finish in time: SIGKILL cannot be ignored */
        if ((err = child_kill(c, error)) != 0)
            return err;
        err = wait_exited(c, INFINITY);
    }
    if (err != 0)
        return fail(error, CHILD_STEP_WAIT, -err, c->program);
    /* The leader is an unreaped zombie, so its group id is still ours:
     * kill whatever is left in the group (grandchildren holding pipes). */
    if (c->group_leader && kill(-c->pid, SIGKILL) != 0 && errno != ESRCH)
        return fail(error, CHILD_STEP_SIGNAL, errno, c->program);
    err = reap(c);
    return err == 0 ? 0 : fail(error, CHILD_STEP_WAIT, -err, c->program);
}

/* ---- status ---------------------------------------------------------- */

int child_returncode(const struct child *c)
{
    if (WIFEXITED(c->status))
        return WEXITSTATUS(c->status);
    if (WIFSIGNALED(c->status))
        return -WTERMSIG(c->status);
    return 0;
}

void child_describe(const struct child *c, char *buf, size_t size)
{
    if (!c->reaped) {
        snprintf(buf, size, "still running");
    } else if (WIFEXITED(c->status)) {
        snprintf(buf, size, "exited with %d", WEXITSTATUS(c->status));
    } else {
        const char *name = sigabbrev_np(WTERMSIG(c->status)); /* "TERM", or NULL */
        snprintf(buf, size, "killed by SIG%s%s", name != NULL ? name : "?",
                 WCOREDUMP(c->status) ? " (core dumped)" : "");
    }
}

void child_close(struct child *c)
{
    if (c->pid > 0 && !c->reaped)
        child_stop(c, 0.0, NULL); /* no zombie left behind */
    close_fd(&c->in);
    close_fd(&c->out);
    close_fd(&c->err);
    close_fd(&c->pidfd);
}

/* ---- moving bytes ---------------------------------------------------- */

/* write() with SIGPIPE blocked in this thread, so that writing to a child
 * that has gone comes back as EPIPE instead of killing us. The SIGPIPE our
 * write raised, if any, is consumed; one that was already pending is kept.
 * Returns bytes written or -errno. */
static ssize_t write_without_sigpipe(int fd, const void *data, size_t len)
{
    sigset_t sigpipe_only, old, pending;
    sigemptyset(&sigpipe_only);
    sigaddset(&sigpipe_only, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &sigpipe_only, &old);
    sigpending(&pending);
    bool was_pending = sigismember(&pending, SIGPIPE);
    ssize_t n = write(fd, data, len);
    int err = errno;
    if (n < 0 && err == EPIPE && !was_pending) {
        struct timespec no_wait = {0, 0};
        while (sigtimedwait(&sigpipe_only, NULL, &no_wait) < 0 && errno == EINTR)
            continue;
    }
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    return n < 0 ? -err : n;
}

int child_write(struct child *c, const void *data, size_t len, struct child_error *error)
{
    const char *bytes = data;
    while (len > 0) {
        ssize_t n = write_without_sigpipe(c->in, bytes, len < CHUNK ? len : CHUNK);
        if (n == -EINTR)
            continue;
        if (n == -EAGAIN) { /* a non-blocking pipe that is full: wait for room */
            struct pollfd p = {.fd = c->in, .events = POLLOUT};
            poll(&p, 1, -1);
            continue;
        }
        if (n < 0)
            return fail(error, CHILD_STEP_POLL, (int)-n, c->program);
        bytes += n;
        len -= (size_t)n;
    }
    return 0;
}

/* The pipes one poll loop serves: our write end of the child's stdin, and
 * our read ends of its stdout and stderr (-1: none). */
struct pump {
    int *in, *out, *err;
    const char *input;
    size_t input_len;
    size_t *input_done;
    struct child_buffer *out_buffer, *err_buffer; /* NULL: read and drop */
};

static int set_nonblocking(int fd)
{
    int flags = fcntl(fd, F_GETFL);
    return flags < 0 || fcntl(fd, F_SETFL, flags | O_NONBLOCK) < 0 ? -errno : 0;
}

/* Reads what is there; closes the fd at end-of-file. Returns 0 or -errno. */
static int pump_read(int *fd, struct child_buffer *buffer)
{
    char chunk[CHUNK];
    ssize_t n = read(*fd, chunk, sizeof chunk);
    if (n == 0)
        close_fd(fd); /* every writer has closed its end */
    else if (n > 0 && buffer != NULL)
        return buffer_append(buffer, chunk, (size_t)n);
    else if (n < 0 && errno != EAGAIN && errno != EINTR)
        return -errno;
    return 0;
}

/* Writes what fits; closes stdin when the input is all written (the child
 * sees end-of-file) or the child stopped reading (EPIPE: the rest is dropped). */
static int pump_write(struct pump *p)
{
    size_t left = p->input_len - *p->input_done;
    ssize_t n = write_without_sigpipe(*p->in, p->input + *p->input_done, left < CHUNK ? left : CHUNK);
    if (n > 0)
        *p->input_done += (size_t)n;
    else if (n == -EPIPE)
        *p->input_done = p->input_len;
    else if (n != -EAGAIN && n != -EINTR)
        return (int)n;
    if (*p->input_done == p->input_len)
        close_fd(p->in);
    return 0;
}

/* The one poll loop: write input and drain both outputs until every pipe
 * is closed, or the deadline. Returns 0, -ETIMEDOUT or -errno. */
static int pump_pipes(struct pump *p, double deadline)
{
    if (*p->in >= 0 && *p->input_done >= p->input_len)
        close_fd(p->in); /* nothing (more) to write: let the child see end-of-file */
    int *fds[3] = {p->in, p->out, p->err};
    for (int i = 0; i < 3; i++)
        if (*fds[i] >= 0 && set_nonblocking(*fds[i]) != 0)
            return -errno;
    while (*p->in >= 0 || *p->out >= 0 || *p->err >= 0) {
        struct pollfd polled[3];
        int *which[3];
        nfds_t count = 0;
        for (int i = 0; i < 3; i++)
            if (*fds[i] >= 0) {
                polled[count] = (struct pollfd){.fd = *fds[i], .events = i == 0 ? POLLOUT : POLLIN};
                which[count++] = fds[i];
            }
        int ready = poll(polled, count, ms_until(deadline));
        if (ready < 0 && errno != EINTR)
            return -errno;
        if (ready <= 0) {
            if (stopwatch_now() >= deadline)
                return -ETIMEDOUT;
            continue;
        }
        for (nfds_t i = 0; i < count; i++) {
            if (polled[i].revents == 0)
                continue;
            int err = which[i] == p->in    ? pump_write(p)
                      : which[i] == p->out ? pump_read(p->out, p->out_buffer)
                                           : pump_read(p->err, p->err_buffer);
            if (err != 0)
                return err;
        }
        if (stopwatch_now() >= deadline) /* a child that never lets the pipes go quiet */
            return -ETIMEDOUT;
    }
    return 0;
}

int child_communicate(struct child *c, const struct child_io *io, double timeout, struct child_error *error)
{
    static const struct child_io nothing = {0};
    const struct child_io *what = io != NULL ? io : &nothing;
    if (what->input_len > c->input_done && c->in < 0 && c->input_done == 0)
        return fail(error, CHILD_STEP_PIPE, EINVAL, c->program); /* input, but stdin is no pipe */
    double deadline = deadline_after(timeout);
    struct pump p = {
        .in = &c->in,
        .out = &c->out,
        .err = &c->err,
        .input = what->input,
        .input_len = what->input_len,
        .input_done = &c->input_done,
        .out_buffer = what->out,
        .err_buffer = what->err,
    };
    int err = pump_pipes(&p, deadline);
    if (err == 0)
        err = wait_exited(c, deadline);
    if (err == -ETIMEDOUT)
        return fail(error, CHILD_STEP_TIMEOUT, ETIMEDOUT, c->program);
    if (err == 0)
        err = reap(c);
    return err == 0 ? 0 : fail(error, CHILD_STEP_POLL, -err, c->program);
}

/* ---- run ------------------------------------------------------------- */

void child_result_free(struct child_result *r)
{
    child_buffer_free(&r->out);
    child_buffer_free(&r->err);
}

int child_run(const char *const argv[], const struct child_run_options *options, struct child_result *result,
              struct child_error *error)
{
    struct child_options spawn = options->spawn;
    if (options->input != NULL)
        spawn.in.mode = CHILD_PIPE;
    if (options->capture)
        spawn.out.mode = spawn.err.mode = CHILD_PIPE;
    *result = (struct child_result){0};
    struct child c;
    int err = child_spawn(&c, argv, &spawn, error);
    if (err != 0)
        return err;
    struct child_io io = {
        .input = options->input,
        .input_len = options->input_len,
        .out = options->capture ? &result->out : NULL,
        .err = options->capture ? &result->err : NULL,
    };
    err = child_communicate(&c, &io, options->timeout > 0.0 ? options->timeout : -1.0, error);
    if (err == -ETIMEDOUT) {
        /* Stop it (and its group, if it leads one), then collect what is
         * left in the pipes, for a bounded time: something outside the
         * group may still hold them open. */
        child_stop(&c, 0.0, NULL);
        struct child_io rest = {.out = io.out, .err = io.err};
        child_communicate(&c, &rest, 0.5, NULL);
    }
    result->returncode = c.reaped ? child_returncode(&c) : 0;
    char how[64];
    child_describe(&c, how, sizeof how);
    child_close(&c);
    if (err == 0 && options->check && result->returncode != 0) {
        err = fail(error, CHILD_STEP_CHECK, ECHILD, argv[0]);
        if (error != NULL)
            snprintf(error->detail, sizeof error->detail, "%s", how);
    }
    return err;
}

/* ---- pipelines ------------------------------------------------------- */

static void stop_all(struct child *children, size_t n)
{
    for (size_t i = 0; i < n; i++)
        child_close(&children[i]); /* stops and reaps what still runs */
}

int child_pipeline(struct child *children, const struct child_stage *stages, size_t n,
                   struct child_error *error)
{
    if (n == 0)
        return fail(error, CHILD_STEP_PIPE, EINVAL, "");
    for (size_t i = 0; i + 1 < n; i++)
        if (stages[i].options.err.mode == CHILD_PIPE) /* nothing would drain it */
            return fail(error, CHILD_STEP_PIPE, EINVAL, stages[i].argv[0]);
    int upstream = -1; /* read end of the pipe from the previous stage */
    for (size_t i = 0; i < n; i++) {
        struct child_options o = stages[i].options;
        int next[2] = {-1, -1};
        if (i > 0)
            o.in = (struct child_stream){.mode = CHILD_FD, .fd = upstream};
        if (i + 1 < n) {
            int err = make_pipe(next);
            if (err != 0) {
                close_fd(&upstream);
                stop_all(children, i);
                return fail(error, CHILD_STEP_PIPE, -err, stages[i].argv[0]);
            }
            o.out = (struct child_stream){.mode = CHILD_FD, .fd = next[1]};
        }
        int err = child_spawn(&children[i], stages[i].argv, &o, error);
        /* The stage has its own copies now. Ours must go: while we hold the
         * write end, the next stage never sees end-of-file; while we hold
         * the read end, this stage never gets SIGPIPE when its reader dies. */
        close_fd(&upstream);
        close_fd(&next[1]);
        if (err != 0) {
            close_fd(&next[0]);
            stop_all(children, i);
            return err;
        }
        upstream = next[0];
    }
    return 0;
}

int child_pipeline_communicate(struct child *children, size_t n, const struct child_io *io, double timeout,
                               struct child_error *error)
{
    static const struct child_io nothing = {0};
    const struct child_io *what = io != NULL ? io : &nothing;
    if (n == 0)
        return fail(error, CHILD_STEP_PIPE, EINVAL, "");
    struct child *first = &children[0], *last = &children[n - 1];
    if (what->input_len > first->input_done && first->in < 0 && first->input_done == 0)
        return fail(error, CHILD_STEP_PIPE, EINVAL, first->program); /* input, but stdin is no pipe */
    double deadline = deadline_after(timeout);
    struct pump p = {
        .in = &first->in,
        .out = &last->out,
        .err = &last->err,
        .input = what->input,
        .input_len = what->input_len,
        .input_done = &first->input_done,
        .out_buffer = what->out,
        .err_buffer = what->err,
    };
    int err = pump_pipes(&p, deadline);
    for (size_t i = 0; i < n && err == 0; i++)
        if ((err = wait_exited(&children[i], deadline)) == 0)
            err = reap(&children[i]);
    if (err == -ETIMEDOUT)
        return fail(error, CHILD_STEP_TIMEOUT, ETIMEDOUT, last->program);
    return err == 0 ? 0 : fail(error, CHILD_STEP_POLL, -err, last->program);
}
