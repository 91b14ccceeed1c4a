/*
 * run_capture: run one program, capture what it prints, check that it
 * succeeded, and print its output: Python's subprocess.run with
 * capture_output=True and check_returncode(), in C.
 *
 * Usage: run_capture [--message TEXT]
 *
 * A run prints:
 *
 *   parent: running echo 'Hello from the child process!' (argv, no shell)
 *   parent: echo exited with 0
 *   parent: captured 30 bytes of stdout: Hello from the child process!
 *
 * notes/04-run_capture.md sets the C beside the Python.
 */
#include "child.h"
#include "options.h"
#include "output.h"
#include "report.h"
#include "seed_common.h"

#include <limits.h>
#include <stdio.h>

static const char *message = "Hello from the child process!";

static const struct demo_flag flags[] = {
    {"message", DEMO_FLAG_TEXT, "TEXT", N_("what echo should say (default: a greeting)"), &message, NULL},
    {0},
};

static const struct demo_info demo = {
    .name = "run_capture",
    .summary = N_("Runs echo with its output captured, checks its return code, prints the output:\n"
                  "subprocess.run(..., capture_output=True) and check_returncode(), in C."),
    .note = "notes/04-run_capture.md",
    .flags = flags,
};

int main(int argc, char **argv)
{
    struct options opts;
    int done = options_parse(argc, argv, &demo, &opts);
    if (done != OPTIONS_RUN)
        return done;

    const char *const echo[] = {"echo", message, NULL}; /* an argv array: no shell parses it */
    struct child_run_options run = {.capture = true, .check = true};
    struct child_result result;
    struct child_error error = {0};
    char echo_path[PATH_MAX]; /* coreutils' echo, never a program of ours by that name */
    if (seed_find_program("echo", echo_path, sizeof echo_path, &error) != 0)
        return seed_fail(demo.name, &error);
    run.spawn.executable = echo_path;
    printf(_("parent: running echo '%s' (argv, no shell)\n"), message);
    output_flush(stdout);
    int err = child_run(echo, &run, &result, &error);
    if (err != 0) { /* e.g. "exec 'echo': No such file or directory" */
        child_result_free(&result);
        return seed_fail(demo.name, &error);
    }
    printf(_("parent: echo exited with %d\n"), result.returncode);
    /* TRANSLATORS: "...: Hello from the child process!": the last %s is echo's output, newline too */
    printf(_("parent: captured %zu bytes of stdout: %s"), result.out.len, result.out.data);
    report_note(&demo);
    child_result_free(&result);
    return 0;
}
