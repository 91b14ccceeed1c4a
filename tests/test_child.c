/* The child-process helper: return codes, missing programs, no deadlock,
 * timeouts, pipelines, and hygiene (no zombie, no leaked fd) after every test. */
#include "child.h"
#include "stopwatch.h"

#include <criterion/criterion.h>
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define HELPER RESOURCE_HELPER /* tests/resources/helper, path from meson */

static int open_fd_count(void)
{
    DIR *dir = opendir("/proc/self/fd");
    int count = 0;
    while (dir != NULL && readdir(dir) != NULL)
        count++;
    if (dir != NULL)
        closedir(dir);
    return count;
}

static int fds_at_start;

static void remember_fds(void)
{
    fds_at_start = open_fd_count();
}

/* After every test: no zombie to reap, no fd left open. */
static void check_hygiene(void)
{
    errno = 0;
    cr_expect_eq(waitpid(-1, NULL, WNOHANG), -1, "a child was left behind");
    cr_expect_eq(errno, ECHILD);
    cr_expect_eq(open_fd_count(), fds_at_start, "an fd was left open");
}

TestSuite(child, .init = remember_fds, .fini = check_hygiene, .timeout = 30);

/* Runs argv to completion and returns its returncode. */
static int returncode_of(const char *const argv[])
{
    struct child c;
    struct child_error e = {0};
    cr_assert_eq(child_spawn(&c, argv, NULL, &e), 0, "spawn: %s", strerror(e.error));
    cr_assert_eq(child_wait(&c, -1, &e), 0);
    int code = child_returncode(&c);
    child_close(&c);
    return code;
}

Test(child, exit_codes_as_python_reports_them)
{
    cr_assert_eq(returncode_of((const char *[]){HELPER, "exit", "0", NULL}), 0);
    cr_assert_eq(returncode_of((const char *[]){HELPER, "exit", "3", NULL}), 3);
    cr_assert_eq(returncode_of((const char *[]){HELPER, "raise", "9", NULL}), -SIGKILL);
}

Test(child, terminate_gives_minus_15)
{
    struct child c;
    cr_assert_eq(child_spawn(&c, (const char *[]){HELPER, "sleep", "10", NULL}, NULL, NULL), 0);
    cr_assert_eq(child_poll(&c, NULL), 0, "a sleeping child has not finished");
    cr_assert_eq(child_terminate(&c, NULL), 0);
    cr_assert_eq(child_wait(&c, 5.0, NULL), 0);
    cr_assert_eq(child_returncode(&c), -15);
    char how[64];
    child_describe(&c, how, sizeof how);
    cr_assert_str_eq(how, "killed by SIGTERM");
    child_close(&c);
}

Test(child, segfault_description_says_whether_core_was_dumped)
{
    struct child c;
    cr_assert_eq(child_spawn(&c, (const char *[]){HELPER, "raise", "11", NULL}, NULL, NULL), 0);
    cr_assert_eq(child_wait(&c, 5.0, NULL), 0);
    cr_assert_eq(child_returncode(&c), -SIGSEGV);
    char how[64];
    child_describe(&c, how, sizeof how);
    if (WCOREDUMP(c.status))
        cr_assert_str_eq(how, "killed by SIGSEGV (core dumped)");
    else
        cr_assert_str_eq(how, "killed by SIGSEGV");
    child_close(&c);
}

Test(child, exited_with_1_is_described)
{
    struct child c;
    cr_assert_eq(child_spawn(&c, (const char *[]){HELPER, "exit", "1", NULL}, NULL, NULL), 0);
    cr_assert_eq(child_wait(&c, 5.0, NULL), 0);
    char how[64];
    child_describe(&c, how, sizeof how);
    cr_assert_str_eq(how, "exited with 1");
    child_close(&c);
}

Test(child, a_missing_program_is_an_error_naming_it)
{
    struct child c;
    struct child_error e = {0};
    int err = child_spawn(&c, (const char *[]){"atonce-no-such-program", NULL}, NULL, &e);
    cr_assert_eq(err, -ENOENT);
    cr_assert_eq(e.error, ENOENT);
    cr_assert_eq(e.step, CHILD_STEP_EXEC);
    cr_assert_str_eq(e.program, "atonce-no-such-program");
    char text[160];
    child_error_format(&e, text, sizeof text);
    cr_assert_str_eq(text, "exec 'atonce-no-such-program': No such file or directory");
}

Test(child, a_file_that_is_not_executable_is_eacces)
{
    char path[] = "/tmp/atonce-not-executable-XXXXXX";
    int fd = mkstemp(path);
    cr_assert_geq(fd, 0);
    cr_assert_eq(write(fd, "#!/bin/true\n", 12), 12);
    close(fd);
    chmod(path, 0644);
    struct child c;
    struct child_error e = {0};
    int err = child_spawn(&c, (const char *[]){path, NULL}, NULL, &e);
    unlink(path);
    cr_assert_eq(err, -EACCES);
    cr_assert_eq(e.step, CHILD_STEP_EXEC);
}

Test(child, sixty_four_mib_through_cat_without_deadlock, .timeout = 20)
{
    size_t size = 64u << 20;
    unsigned char *input = malloc(size);
    cr_assert_not_null(input);
    for (size_t i = 0; i < size; i++)
        input[i] = (unsigned char)(i * 2654435761u >> 13);
    struct child_options options = {.in.mode = CHILD_PIPE, .out.mode = CHILD_PIPE};
    struct child c;
    cr_assert_eq(child_spawn(&c, (const char *[]){"cat", NULL}, &options, NULL), 0);
    struct child_buffer out = {0};
    struct child_io io = {.input = input, .input_len = size, .out = &out};
    double start = stopwatch_now();
    cr_assert_eq(child_communicate(&c, &io, 10.0, NULL), 0);
    cr_assert_lt(stopwatch_now() - start, 10.0);
    cr_assert_eq(out.len, size);
    cr_assert(memcmp(out.data, input, size) == 0, "the bytes came back changed");
    cr_assert_eq(child_returncode(&c), 0);
    child_buffer_free(&out);
    child_close(&c);
    free(input);
}

Test(child, a_child_that_fills_stderr_before_reading_stdin_finishes)
{
    size_t size = 1u << 20;
    char *input = malloc(size);
    memset(input, 'i', size);
    struct child_options options = {.in.mode = CHILD_PIPE, .out.mode = CHILD_PIPE, .err.mode = CHILD_PIPE};
    struct child c;
    cr_assert_eq(child_spawn(&c, (const char *[]){HELPER, "stderr-first", "1048576", NULL}, &options, NULL),
                 0);
    struct child_buffer out = {0}, err = {0};
    struct child_io io = {.input = input, .input_len = size, .out = &out, .err = &err};
    cr_assert_eq(child_communicate(&c, &io, 10.0, NULL), 0);
    cr_assert_eq(err.len, size);
    cr_assert_eq(out.len, size);
    child_buffer_free(&out);
    child_buffer_free(&err);
    child_close(&c);
    free(input);
}

Test(child, communicate_times_out_and_can_be_called_again)
{
    struct child_options options = {.out.mode = CHILD_PIPE};
    struct child c;
    cr_assert_eq(child_spawn(&c, (const char *[]){HELPER, "sleep", "10", NULL}, &options, NULL), 0);
    struct child_buffer out = {0};
    struct child_io io = {.out = &out};
    struct child_error e = {0};
    double start = stopwatch_now();
    cr_assert_eq(child_communicate(&c, &io, 0.2, &e), -ETIMEDOUT);
    cr_assert_eq(e.step, CHILD_STEP_TIMEOUT);
    cr_assert_lt(stopwatch_now() - start, 1.0);
    cr_assert_eq(child_communicate(&c, &io, 0.1, &e), -ETIMEDOUT, "still running: still a timeout");
    char text[160];
    child_error_format(&e, text, sizeof text);
    const char *said = "': did not finish in time"; /* not ETIMEDOUT's "Connection timed out" */
    cr_assert(strncmp(text, "timeout '", 9) == 0 && strstr(text, said) == text + strlen(text) - strlen(said),
              "%s", text);
    cr_assert_eq(child_stop(&c, 1.0, NULL), 0);
    cr_assert_eq(child_returncode(&c), -15);
    child_buffer_free(&out);
    child_close(&c);
}

Test(child, wait_times_out_then_finishes)
{
    struct child c;
    cr_assert_eq(child_spawn(&c, (const char *[]){HELPER, "sleep", "0.3", NULL}, NULL, NULL), 0);
    cr_assert_eq(child_wait(&c, 0.05, NULL), -ETIMEDOUT);
    cr_assert_eq(child_wait(&c, -1, NULL), 0);
    cr_assert_eq(child_returncode(&c), 0);
    child_close(&c);
}

Test(child, a_child_that_ignores_sigterm_is_killed_after_the_grace)
{
    struct child c;
    cr_assert_eq(child_spawn(&c, (const char *[]){HELPER, "ignore-term", "10", NULL}, NULL, NULL), 0);
    child_wait(&c, 0.1, NULL); /* let it install its SIG_IGN */
    double start = stopwatch_now();
    cr_assert_eq(child_stop(&c, 0.3, NULL), 0);
    double took = stopwatch_now() - start;
    cr_assert_eq(child_returncode(&c), -SIGKILL);
    cr_assert_geq(took, 0.3, "SIGKILL came before the grace was over");
    cr_assert_lt(took, 2.0);
    child_close(&c);
}

/* A grandchild that holds the stdout pipe open: only stopping the whole
 * group ends it. We become its subreaper so that we can check it is gone. */
Test(child, a_timeout_stops_the_grandchild_holding_the_pipe)
{
    cr_assert_eq(prctl(PR_SET_CHILD_SUBREAPER, 1), 0);
    struct child_options options = {.out.mode = CHILD_PIPE, .new_process_group = true};
    struct child c;
    cr_assert_eq(child_spawn(&c, (const char *[]){HELPER, "grandchild", "10", NULL}, &options, NULL), 0);
    struct child_buffer out = {0};
    struct child_io io = {.out = &out};
    double start = stopwatch_now();
    cr_assert_eq(child_communicate(&c, &io, 0.3, NULL), -ETIMEDOUT);
    cr_assert_eq(child_stop(&c, 0.2, NULL), 0);
    cr_assert_eq(child_communicate(&c, &io, 1.0, NULL), 0, "the pipe is closed once the group is gone");
    cr_assert_lt(stopwatch_now() - start, 1.5);
    pid_t grandchild = (pid_t)atoi(out.data);
    cr_assert_gt(grandchild, 0, "the grandchild's pid was printed: '%s'", out.data);
    /* Killed with its group, it was reaped either by its own parent or, as
     * an orphan, by us: reap it if it is ours, then it must not exist. */
    waitpid(grandchild, NULL, 0);
    errno = 0;
    cr_assert_eq(kill(grandchild, 0), -1, "the grandchild's pid still exists");
    cr_assert_eq(errno, ESRCH);
    child_buffer_free(&out);
    child_close(&c);
}

Test(child, run_with_timeout_returns_promptly_with_a_grandchild)
{
    struct child_run_options options = {.spawn.new_process_group = true, .capture = true, .timeout = 0.2};
    struct child_result result;
    struct child_error e = {0};
    double start = stopwatch_now();
    int err = child_run((const char *[]){HELPER, "grandchild", "10", NULL}, &options, &result, &e);
    cr_assert_eq(err, -ETIMEDOUT);
    cr_assert_lt(stopwatch_now() - start, 1.0);
    cr_assert_gt(result.out.len, 0, "the output so far is kept");
    child_result_free(&result);
}

Test(child, run_captures_output)
{
    struct child_run_options options = {.capture = true, .check = true};
    struct child_result result;
    cr_assert_eq(child_run((const char *[]){"echo", "hello from the child", NULL}, &options, &result, NULL),
                 0);
    cr_assert_str_eq(result.out.data, "hello from the child\n");
    cr_assert_eq(result.returncode, 0);
    child_result_free(&result);
}

Test(child, run_with_check_reports_the_code_and_stderr)
{
    struct child_run_options options = {.capture = true, .check = true};
    struct child_result result;
    struct child_error e = {0};
    int err = child_run((const char *[]){HELPER, "fail", "something broke", NULL}, &options, &result, &e);
    cr_assert_eq(err, -ECHILD);
    cr_assert_eq(e.step, CHILD_STEP_CHECK);
    cr_assert_eq(result.returncode, 1);
    cr_assert_str_eq(result.err.data, "something broke\n");
    char text[160];
    child_error_format(&e, text, sizeof text);
    cr_assert(strstr(text, "exited with 1") != NULL, "%s", text);
    child_result_free(&result);
}

Test(child, three_stage_pipeline)
{
    struct child_stage stages[] = {
        {.argv = (const char *[]){"printf", "hello world", NULL}},
        {.argv = (const char *[]){"tr", "a-z", "A-Z", NULL}},
        {.argv = (const char *[]){"wc", "-c", NULL}, .options.out.mode = CHILD_PIPE},
    };
    struct child children[3];
    cr_assert_eq(child_pipeline(children, stages, 3, NULL), 0);
    struct child_buffer out = {0};
    struct child_io io = {.out = &out};
    cr_assert_eq(child_pipeline_communicate(children, 3, &io, 5.0, NULL), 0);
    cr_assert_eq(atoi(out.data), 11);
    for (int i = 0; i < 3; i++) {
        cr_assert_eq(child_returncode(&children[i]), 0);
        child_close(&children[i]);
    }
    child_buffer_free(&out);
}

Test(child, yes_into_head_ends_with_sigpipe)
{
    struct child_stage stages[] = {
        {.argv = (const char *[]){"yes", NULL}},
        {.argv = (const char *[]){"head", "-n", "1", NULL}, .options.out.mode = CHILD_PIPE},
    };
    struct child children[2];
    cr_assert_eq(child_pipeline(children, stages, 2, NULL), 0);
    struct child_buffer out = {0};
    struct child_io io = {.out = &out};
    cr_assert_eq(child_pipeline_communicate(children, 2, &io, 5.0, NULL), 0, "yes must end");
    cr_assert_str_eq(out.data, "y\n");
    cr_assert_eq(child_returncode(&children[0]), -SIGPIPE);
    char how[64];
    child_describe(&children[0], how, sizeof how);
    cr_assert_str_eq(how, "killed by SIGPIPE");
    for (int i = 0; i < 2; i++)
        child_close(&children[i]);
    child_buffer_free(&out);
}

Test(child, writing_to_a_dead_child_is_epipe_not_death)
{
    struct child_options options = {.in.mode = CHILD_PIPE};
    struct child c;
    cr_assert_eq(child_spawn(&c, (const char *[]){"true", NULL}, &options, NULL), 0);
    cr_assert_eq(child_wait(&c, 5.0, NULL), 0);
    static char block[1 << 16];
    struct child_error e = {0};
    cr_assert_eq(child_write(&c, block, sizeof block, &e), -EPIPE);
    sigset_t pending;
    sigpending(&pending);
    cr_assert(!sigismember(&pending, SIGPIPE), "no SIGPIPE left pending");
    child_close(&c);
}

/* Prints what `argv` writes to stdout, for the tests below. */
static void run_and_capture(const char *const argv[], const struct child_options *spawn, char *buf,
                            size_t size)
{
    struct child_run_options options = {.capture = true, .check = true};
    if (spawn != NULL)
        options.spawn = *spawn;
    struct child_result result;
    cr_assert_eq(child_run(argv, &options, &result, NULL), 0);
    snprintf(buf, size, "%s", result.out.data != NULL ? result.out.data : "");
    child_result_free(&result);
}

Test(child, a_child_sees_only_fds_0_1_2)
{
    char out[128];
    run_and_capture((const char *[]){HELPER, "fds", NULL}, NULL, out, sizeof out);
    cr_assert_str_eq(out, "0 1 2\n");
}

Test(child, environment_changes_reach_only_the_child)
{
    const char *set[] = {"ATONCE_GREETING=annyeong", NULL};
    struct child_options options = {.env_set = set};
    char out[128];
    run_and_capture((const char *[]){HELPER, "env", "ATONCE_GREETING", NULL}, &options, out, sizeof out);
    cr_assert_str_eq(out, "annyeong\n");
    cr_assert_null(getenv("ATONCE_GREETING"), "the parent's environment is unchanged");

    setenv("ATONCE_DROPPED", "here", 1);
    const char *unset[] = {"ATONCE_DROPPED", NULL};
    struct child_options without = {.env_unset = unset};
    run_and_capture((const char *[]){HELPER, "env", "ATONCE_DROPPED", NULL}, &without, out, sizeof out);
    cr_assert_str_eq(out, "(unset)\n");
    cr_assert_str_eq(getenv("ATONCE_DROPPED"), "here");
}

Test(child, children_start_with_default_signals_and_an_empty_mask)
{
    sigset_t usr1;
    sigemptyset(&usr1);
    sigaddset(&usr1, SIGUSR1);
    sigprocmask(SIG_BLOCK, &usr1, NULL); /* the parent blocks one signal ... */
    signal(SIGINT, SIG_IGN);             /* ... and ignores another */
    char out[256];
    run_and_capture((const char *[]){HELPER, "sigstate", NULL}, NULL, out, sizeof out);
    unsigned long long blocked, ignored;
    cr_assert_eq(sscanf(out, "SigBlk: %llx SigIgn: %llx", &blocked, &ignored), 2, "%s", out);
    cr_assert_eq(blocked, 0, "the child's mask is empty");
    /* Bit n-1 is signal n. glibc reserves signals 32 and 33 (below SIGRTMIN)
     * for itself, and its posix_spawn leaves them ignored in the child: not
     * ours to change. Every other signal must be at its default. */
    unsigned long long glibc_internal = (1ull << 31) | (1ull << 32);
    cr_assert_eq(ignored & ~glibc_internal, 0, "SigIgn %llx: a disposition leaked into the child", ignored);
}

Test(child, cwd_is_where_the_child_starts)
{
    struct child_options options = {.cwd = "/"};
    char out[128];
    run_and_capture((const char *[]){"pwd", NULL}, &options, out, sizeof out);
    cr_assert_str_eq(out, "/\n");
}

/* Popen's executable=: the file named there runs, PATH is not searched,
 * and argv[0] is still the name the child is given. */
Test(child, executable_runs_that_file_under_the_name_in_argv0)
{
    struct child_options options = {.executable = HELPER};
    char out[128];
    run_and_capture((const char *[]){"no-such-program-in-path", "env", "ATONCE_NONE", NULL}, &options, out,
                    sizeof out);
    cr_assert_str_eq(out, "(unset)\n");
}

/* Linux before 5.3 has no pidfd: waits then sleep in growing steps and
 * signals go by pid. Force that path by dropping the pidfd. */
Test(child, works_without_a_pidfd)
{
    struct child c;
    cr_assert_eq(child_spawn(&c, (const char *[]){HELPER, "sleep", "10", NULL}, NULL, NULL), 0);
    if (c.pidfd >= 0)
        close(c.pidfd);
    c.pidfd = -1;
    cr_assert_eq(child_wait(&c, 0.05, NULL), -ETIMEDOUT);
    cr_assert_eq(child_terminate(&c, NULL), 0);
    cr_assert_eq(child_wait(&c, 5.0, NULL), 0);
    cr_assert_eq(child_returncode(&c), -SIGTERM);
    child_close(&c);
}

Test(child, stdout_to_devnull_and_stderr_into_stdout)
{
    /* stderr into stdout (2>&1): the message arrives on the stdout pipe */
    struct child_options merged = {.out.mode = CHILD_PIPE, .err.mode = CHILD_TO_STDOUT};
    struct child c;
    cr_assert_eq(child_spawn(&c, (const char *[]){HELPER, "fail", "on stderr", NULL}, &merged, NULL), 0);
    struct child_buffer out = {0};
    struct child_io io = {.out = &out};
    cr_assert_eq(child_communicate(&c, &io, 5.0, NULL), 0);
    cr_assert_str_eq(out.data, "on stderr\n");
    child_buffer_free(&out);
    child_close(&c);

    /* stdout to /dev/null, stderr piped: only stderr arrives */
    struct child_options quiet = {
        .out.mode = CHILD_DEVNULL, .err.mode = CHILD_PIPE, .in.mode = CHILD_DEVNULL};
    cr_assert_eq(child_spawn(&c, (const char *[]){HELPER, "stderr-first", "4096", NULL}, &quiet, NULL), 0);
    struct child_buffer err = {0};
    struct child_io io_err = {.err = &err};
    cr_assert_eq(child_communicate(&c, &io_err, 5.0, NULL), 0);
    cr_assert_eq(err.len, 4096);
    cr_assert_eq(child_returncode(&c), 0, "stdin from /dev/null reads end-of-file at once");
    child_buffer_free(&err);
    child_close(&c);
}

Test(child, stdout_into_a_given_fd)
{
    int fds[2];
    cr_assert_eq(pipe(fds), 0);
    struct child_options options = {.out = {CHILD_FD, fds[1]}};
    struct child c;
    cr_assert_eq(child_spawn(&c, (const char *[]){"echo", "through my fd", NULL}, &options, NULL), 0);
    close(fds[1]); /* the child has its own copy */
    cr_assert_eq(child_wait(&c, 5.0, NULL), 0);
    char buf[64] = {0};
    cr_assert_eq(read(fds[0], buf, sizeof buf - 1), 14);
    cr_assert_str_eq(buf, "through my fd\n");
    close(fds[0]);
    child_close(&c);
}

/* stderr into the parent's fd 1 while stdout is a pipe: the file actions
 * must copy the parent's fd 1, not the child's new one. */
Test(child, stderr_into_the_parents_fd_1_while_stdout_is_a_pipe)
{
    int saved = dup(1), catcher[2];
    cr_assert_eq(pipe(catcher), 0);
    dup2(catcher[1], 1); /* our fd 1 is now a pipe we can read */
    close(catcher[1]);
    struct child_options options = {.out.mode = CHILD_PIPE, .err = {CHILD_FD, 1}};
    struct child c;
    int err = child_spawn(&c, (const char *[]){HELPER, "fail", "to our fd 1", NULL}, &options, NULL);
    dup2(saved, 1);
    close(saved);
    cr_assert_eq(err, 0);
    struct child_buffer out = {0};
    struct child_io io = {.out = &out};
    cr_assert_eq(child_communicate(&c, &io, 5.0, NULL), 0);
    cr_assert_eq(out.len, 0, "stderr leaked into the stdout pipe: '%s'", out.data);
    char got[64] = {0};
    cr_assert_gt(read(catcher[0], got, sizeof got - 1), 0);
    cr_assert_str_eq(got, "to our fd 1\n");
    close(catcher[0]);
    child_buffer_free(&out);
    child_close(&c);
}

Test(child, a_timeout_holds_even_when_the_pipe_never_goes_quiet)
{
    struct child_options options = {.out.mode = CHILD_PIPE};
    struct child c;
    cr_assert_eq(child_spawn(&c, (const char *[]){HELPER, "flood", "20", NULL}, &options, NULL), 0);
    double start = stopwatch_now();
    struct child_io discard = {0}; /* read and drop what it writes */
    cr_assert_eq(child_communicate(&c, &discard, 0.2, NULL), -ETIMEDOUT);
    cr_assert_lt(stopwatch_now() - start, 0.5);
    cr_assert_eq(child_stop(&c, 1.0, NULL), 0);
    child_close(&c);
}

Test(child, a_missing_cwd_is_blamed_on_the_cwd_not_the_program)
{
    struct child_options options = {.cwd = "/atonce/no/such/dir"};
    struct child c;
    struct child_error e = {0};
    cr_assert_eq(child_spawn(&c, (const char *[]){"true", NULL}, &options, &e), -ENOENT);
    cr_assert_eq(e.step, CHILD_STEP_CWD);
    char text[256];
    child_error_format(&e, text, sizeof text);
    cr_assert_str_eq(text, "cwd '/atonce/no/such/dir' (for 'true'): No such file or directory");
}

Test(child, misuse_is_refused_with_einval)
{
    struct child c;
    struct child_options on_stdout = {.out.mode = CHILD_TO_STDOUT}; /* stderr only */
    cr_assert_eq(child_spawn(&c, (const char *[]){"true", NULL}, &on_stdout, NULL), -EINVAL);

    struct child_stage inner_stderr_piped[] = {
        {.argv = (const char *[]){"true", NULL}, .options.err.mode = CHILD_PIPE},
        {.argv = (const char *[]){"cat", NULL}},
    };
    struct child children[2];
    cr_assert_eq(child_pipeline(children, inner_stderr_piped, 2, NULL), -EINVAL);

    struct child_stage no_stdin_pipe[] = {
        {.argv = (const char *[]){"cat", NULL}, .options.in.mode = CHILD_DEVNULL},
        {.argv = (const char *[]){"cat", NULL}, .options.out.mode = CHILD_DEVNULL},
    };
    cr_assert_eq(child_pipeline(children, no_stdin_pipe, 2, NULL), 0);
    struct child_io io = {.input = "lost?", .input_len = 5};
    cr_assert_eq(child_pipeline_communicate(children, 2, &io, 5.0, NULL), -EINVAL, "input must not vanish");
    child_close(&children[0]);
    child_close(&children[1]);
}
