/*
 * child: child processes the POSIX way, named after Python's subprocess so
 * that the notes can set the two side by side.
 *
 *   Python                           C (this module)
 *   subprocess.Popen(args, ...)      child_spawn(&c, argv, &options, &error)
 *   proc.poll()                      child_poll(&c, &error)
 *   proc.wait(timeout=...)           child_wait(&c, timeout, &error)
 *   proc.communicate(input, timeout) child_communicate(&c, &io, timeout, &error)
 *   proc.send_signal / terminate /   child_send_signal / child_terminate /
 *     kill                             child_kill, and child_stop(&c, grace)
 *   proc.returncode                  child_returncode(&c)
 *   subprocess.run(args, ...)        child_run(argv, &run_options, &result, &error)
 *   a | b | c                        child_pipeline(children, stages, n, &error)
 *
 * What the best libraries learned the hard way, and this one does:
 *  1. communicate writes the input and drains stdout and stderr in one
 *     poll() loop, so a child that fills one pipe while we fill another
 *     cannot deadlock us, whatever the sizes.
 *  2. A timeout can stop the child's whole process group (spawn it with
 *     new_process_group), so a grandchild holding a pipe open is stopped too.
 *  3. We learn that a child exited from its pidfd or waitpid, never from an
 *     fd it could have passed on to a grandchild.
 *  4. Every pipe is made with O_CLOEXEC, and the child is left only fds
 *     0, 1 and 2 (posix_spawn_file_actions_addclosefrom_np).
 *  5. SIGPIPE is never ignored process-wide. The child starts with default
 *     signal dispositions and an empty mask; a write to a dead child's stdin
 *     comes back as EPIPE (SIGPIPE is blocked around the write and a
 *     pending one consumed).
 *  6. child_pipeline closes the parent's copy of every inner pipe end, so an
 *     upstream stage sees SIGPIPE when the reader downstream is gone.
 *  7. Only our own pids are reaped, each exactly once, retrying on EINTR,
 *     with no SIGCHLD handler (which would steal other code's children).
 *  8. A program that cannot be started (missing, not executable) is an
 *     error in the parent naming the program and the step, not a child
 *     that exits 127.
 *  9. Signals go through the child's pidfd where the kernel has one, so a
 *     recycled pid can never be signalled by mistake. Without pidfd (Linux
 *     before 5.3) kill() is used and waits sleep in short, growing steps.
 *     A group leader's group is signalled with kill(-pid): safe too, as a
 *     group id cannot be reused while its leader is not yet reaped.
 *
 * Errors: every function returns 0 (or a documented positive answer) or a
 * negative errno, and fills a struct child_error saying which step failed
 * and for which program. Nothing here prints or exits.
 */
#ifndef ATONCE_CHILD_H
#define ATONCE_CHILD_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* Where one of the child's standard streams goes. */
enum child_stream_mode {
    CHILD_INHERIT = 0, /* the parent's own (the default) */
    CHILD_PIPE,        /* a new pipe; the parent's end is in child.in/out/err */
    CHILD_DEVNULL,     /* /dev/null */
    CHILD_FD,          /* a given fd of the parent's (dup'ed; the caller keeps its own) */
    CHILD_TO_STDOUT,   /* stderr only: wherever stdout goes (2>&1) */
};

struct child_stream {
    enum child_stream_mode mode;
    int fd; /* CHILD_FD only */
};

/* How to start a child. All fields are optional: zero means "as the parent". */
struct child_options {
    const char *const *env_set;   /* "NAME=value" strings, NULL-terminated, set over the parent's */
    const char *const *env_unset; /* names, NULL-terminated, removed */
    const char *cwd;              /* directory to start in */
    struct child_stream in, out, err;
    bool new_process_group; /* lead a new process group, so signals can reach grandchildren */
    const char *executable; /* the file to run, as Popen's executable=; argv[0] stays the
                             * name the child sees. NULL: argv[0], searched in PATH */
};

/* Which step failed. */
enum child_step {
    CHILD_STEP_NONE = 0,
    CHILD_STEP_PIPE,   /* pipe2, fcntl, memory, or a stream the call cannot use */
    CHILD_STEP_SPAWN,  /* posix_spawn itself */
    CHILD_STEP_EXEC,   /* the program could not be run (missing, not executable) */
    CHILD_STEP_POLL,   /* poll, read, write */
    CHILD_STEP_WAIT,   /* waitpid, waitid, pidfd */
    CHILD_STEP_SIGNAL, /* kill, pidfd_send_signal */
    CHILD_STEP_TIMEOUT,
    CHILD_STEP_CHECK, /* child_run with check: the child did not exit 0 */
    CHILD_STEP_CWD,   /* the directory to start in (options.cwd) cannot be entered */
};

struct child_error {
    enum child_step step;
    int error;        /* the errno value (positive) */
    char program[64]; /* argv[0] of the child concerned */
    char detail[256]; /* CHILD_STEP_CHECK: how it ended ("exited with 1"); CHILD_STEP_CWD: the directory */
};

/* "spawn", "exec", ... */
const char *child_step_name(enum child_step step);

/* "exec 'nosuch': No such file or directory", "timeout 'sleep': did not
 * finish in time", "check 'false': exited with 1", into buf. */
void child_error_format(const struct child_error *e, char *buf, size_t size);

/* One started child. Fill it with child_spawn; release it with
 * child_close (after it has been reaped by a wait, poll or stop). */
struct child {
    pid_t pid;
    int pidfd;         /* -1 where the kernel has no pidfd_open */
    int in, out, err;  /* the parent's pipe ends, -1 when not CHILD_PIPE */
    bool reaped;       /* waited for: status is valid and pid is no longer ours */
    int status;        /* the raw wait status, once reaped */
    bool group_leader; /* started with new_process_group */
    size_t input_done; /* child_communicate: bytes of input already written */
    char program[64];
};

/* A growing byte buffer that child_communicate appends to. The caller owns
 * it: start it zeroed, free it with child_buffer_free. data is always
 * NUL-terminated (not counted in len), so text can be printed directly. */
struct child_buffer {
    char *data;
    size_t len, cap;
};
void child_buffer_free(struct child_buffer *b);

/* Starts argv[0] (searched in PATH; or options.executable) with argv, never through a shell.
 * Returns 0, or -errno: ENOENT (no such program, step exec; or no such
 * cwd, step cwd), EACCES (not executable), EAGAIN (too many processes),
 * EMFILE (too many open files), EINVAL (CHILD_TO_STDOUT on stdin or stdout). */
int child_spawn(struct child *c, const char *const argv[], const struct child_options *options,
                struct child_error *error);

/* Has it finished? Never blocks. Returns 1 (finished: reaped, see
 * child_returncode), 0 (still running) or -errno. */
int child_poll(struct child *c, struct child_error *error);

/* Waits until it finishes, for at most `timeout` seconds (negative: no
 * limit), sleeping, not spinning. Returns 0 (finished: reaped) or
 * -ETIMEDOUT (still running; call again, or stop it) or -errno. */
int child_wait(struct child *c, double timeout, struct child_error *error);

/* Input and output for child_communicate. */
struct child_io {
    const void *input; /* written to the child's stdin pipe, which is then closed */
    size_t input_len;
    struct child_buffer *out; /* appended from the stdout pipe; NULL: discard */
    struct child_buffer *err; /* appended from the stderr pipe; NULL: discard */
};

/* Writes the input and drains stdout and stderr at the same time, until
 * both reach end-of-file and the child has finished (it is then reaped).
 * Returns 0; or -ETIMEDOUT after `timeout` seconds (negative: no limit),
 * keeping what was read and written so far: call again to go on, or stop
 * the child. A child that stops reading its input is not an error (as in
 * Python): the rest of the input is dropped. Other errors: -errno. */
int child_communicate(struct child *c, const struct child_io *io, double timeout, struct child_error *error);

/* Writes all of data to the child's stdin pipe (blocking). Returns 0, or
 * -EPIPE when the child has closed its stdin or died: the parent gets the
 * error, not a deadly SIGPIPE. */
int child_write(struct child *c, const void *data, size_t len, struct child_error *error);

/* Sends `sig` to the child (to its whole group, for a group leader). Does
 * nothing once the child has been reaped. Returns 0 or -errno. */
int child_send_signal(struct child *c, int sig, struct child_error *error);
int child_terminate(struct child *c, struct child_error *error); /* SIGTERM */
int child_kill(struct child *c, struct child_error *error);      /* SIGKILL */

/* Stops the child for good: SIGTERM, up to `grace` seconds (0 or less: none) to finish, then
 * SIGKILL; for a group leader, whatever is left of its group is killed
 * too; then reaps it. Returns 0 or -errno. */
int child_stop(struct child *c, double grace, struct child_error *error);

/* Python's returncode: the exit status, or minus the signal that killed it
 * (SIGTERM: -15). Meaningful only once reaped (before that it is 0). */
int child_returncode(const struct child *c);

/* For people: "exited with 1", "killed by SIGTERM",
 * "killed by SIGSEGV (core dumped)". */
void child_describe(const struct child *c, char *buf, size_t size);

/* Closes the parent's pipe ends and the pidfd. If the child was never
 * reaped, it is stopped first (no zombie is left behind). */
void child_close(struct child *c);

/* subprocess.run: spawn, communicate, wait. */
struct child_run_options {
    struct child_options spawn; /* in/out/err are set by the fields below */
    const void *input;          /* non-NULL: sent on a pipe to stdin; NULL: stdin is inherited */
    size_t input_len;
    bool capture;   /* capture stdout and stderr into the result */
    double timeout; /* seconds; <= 0: no limit. On timeout the child is stopped (with its
                     * group, when spawn.new_process_group is set) */
    bool check;     /* a non-zero returncode is an error (step CHILD_STEP_CHECK) */
};

struct child_result {
    int returncode;
    struct child_buffer out, err; /* with capture; free with child_result_free */
};
void child_result_free(struct child_result *r);

/* Runs argv to completion. Returns 0, -ETIMEDOUT (the child was stopped;
 * the result holds its output so far), -ECHILD with check when it did not
 * exit 0 (the result holds its code and captured stderr), or -errno. */
int child_run(const char *const argv[], const struct child_run_options *options, struct child_result *result,
              struct child_error *error);

/* One stage of a pipeline. Stage i's stdout feeds stage i+1's stdin; the
 * other streams come from `options` (stdin of the first, stdout of the
 * last, and every stderr). */
struct child_stage {
    const char *const *argv;
    struct child_options options;
};

/* Starts n stages wired stdout to stdin, closing the parent's copy of
 * every inner pipe end as soon as the stage that needs it has started.
 * children[i] is stage i: communicate with children[0].in and
 * children[n-1].out, then wait for each. Only the last stage's stderr may
 * be CHILD_PIPE (nothing would drain an inner one, and a full pipe would
 * hang that stage): -EINVAL otherwise. On error, the stages already
 * started are stopped and reaped. Returns 0 or -errno. */
int child_pipeline(struct child *children, const struct child_stage *stages, size_t n,
                   struct child_error *error);

/* child_communicate for a whole pipeline: writes the input to the first
 * stage's stdin and drains the last stage's stdout and stderr in one poll
 * loop, then waits for every stage (each is reaped). Returns as
 * child_communicate does. */
int child_pipeline_communicate(struct child *children, size_t n, const struct child_io *io, double timeout,
                               struct child_error *error);

#endif
