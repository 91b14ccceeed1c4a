/* output: a write that failed is reported with its own reason, even when
 * stdio has already dropped what it could not write; a file named on the
 * command line appears whole or not at all. */
#include "output.h"

#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio_ext.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

/* Runs `body` in a child with stdout on /dev/full (a full disk); returns
 * what body returned: 0, -errno or OUTPUT_REASON_UNKNOWN. */
static int on_full_disk(int (*body)(void))
{
    pid_t pid = fork();
    cr_assert_geq(pid, 0, "fork: %s", strerror(errno));
    if (pid == 0) {
        if (freopen("/dev/full", "w", stdout) == NULL)
            _exit(255);
        int result = body();
        _exit(result == OUTPUT_REASON_UNKNOWN ? 254 : -result);
    }
    int status;
    cr_assert_eq(waitpid(pid, &status, 0), pid);
    cr_assert(WIFEXITED(status) && WEXITSTATUS(status) != 255, "status %#x", status);
    return WEXITSTATUS(status) == 254 ? OUTPUT_REASON_UNKNOWN : -WEXITSTATUS(status);
}

/* A flush before a fork fails; stdio drops the text, so nothing is left
 * for the close at exit to flush. */
static int flush_then_close(void)
{
    printf("a table\n");
    if (output_flush(stdout) != -ENOSPC)
        return -EINVAL;
    return output_close(stdout);
}

Test(output, close_names_why_an_earlier_flush_of_stdout_failed)
{
    int err = on_full_disk(flush_then_close);
    cr_assert_eq(err, -ENOSPC, "%d: %s", err, output_strerror(err));
}

static int print_then_close(void)
{
    printf("a table\n");
    return output_close(stdout);
}

Test(output, close_names_why_the_last_write_failed)
{
    cr_assert_eq(on_full_disk(print_then_close), -ENOSPC);
}

static int close_only(void)
{
    return output_close(stdout);
}

Test(output, nothing_written_is_nothing_lost)
{
    cr_assert_eq(on_full_disk(close_only), 0);
}

/* A write that failed while stdio emptied its full buffer, with nothing
 * written after it: stdio keeps no reason, and we say so rather than
 * invent one. */
Test(output, a_reason_stdio_dropped_is_said_to_be_unknown)
{
    static char buffer[16];
    FILE *f = fopen("/dev/full", "w");
    cr_assert_not_null(f);
    cr_assert_eq(setvbuf(f, buffer, _IOFBF, sizeof buffer), 0);
    fputs("more than sixteen bytes", f);
    cr_assert(ferror(f), "the write that emptied the buffer failed");
    int expected =
        __fpending(f) == 0 ? OUTPUT_REASON_UNKNOWN : -ENOSPC; /* what is left is flushed at close */
    int err = output_close(f);
    cr_assert_eq(err, expected, "%d: %s", err, output_strerror(err));
    cr_assert_str_eq(output_strerror(OUTPUT_REASON_UNKNOWN), "reason unknown");
}

/* A folder of our own, removed at the end. */
static char folder[] = "/tmp/atonce-test-output-XXXXXX";

static void make_folder(void)
{
    cr_assert_not_null(mkdtemp(folder), "mkdtemp: %s", strerror(errno));
}

static void remove_folder(void)
{
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/trace.json", folder);
    unlink(path);
    rmdir(folder);
}

Test(output, a_file_appears_only_once_complete, .init = make_folder, .fini = remove_folder)
{
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/trace.json", folder);
    struct output_file o;
    cr_assert_eq(output_file_open(&o, path), 0);
    fputs("{}\n", o.f);
    cr_assert_eq(access(path, F_OK), -1, "not there before the commit");
    cr_assert_eq(output_file_commit(&o), 0);
    struct stat st;
    cr_assert_eq(stat(path, &st), 0);
    cr_assert_eq(st.st_size, 3);
    cr_assert_eq(rmdir(folder), -1, "the temporary file is gone, the trace is there");
}

Test(output, a_discarded_file_leaves_the_old_one, .init = make_folder, .fini = remove_folder)
{
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/trace.json", folder);
    int fd = open(path, O_WRONLY | O_CREAT, 0644);
    cr_assert_geq(fd, 0);
    cr_assert_eq(write(fd, "old\n", 4), 4);
    close(fd);
    struct output_file o;
    cr_assert_eq(output_file_open(&o, path), 0);
    fputs("new, cut short", o.f);
    output_file_discard(&o);
    struct stat st;
    cr_assert_eq(stat(path, &st), 0);
    cr_assert_eq(st.st_size, 4, "the old file, untouched");
    cr_assert_eq(unlink(path), 0);
    cr_assert_eq(rmdir(folder), 0, "no temporary file left beside it");
}

Test(output, a_missing_folder_is_refused_before_the_run)
{
    cr_assert_eq(output_file_check("/nonexistent-folder/trace.json"), -ENOENT);
}
