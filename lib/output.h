/*
 * output: a result that was not written is an error, never a silent
 * exit 0.
 *
 * The demos write their tables, JSON and CSV with printf. stdio keeps the
 * first failed write (a full disk, /dev/full, a closed stdout) in the
 * stream's error flag, so checking once at the end catches every write:
 * output_guard registers a check that runs at exit, flushes and closes
 * stdout, and if anything failed says "<demo>: write error on standard
 * output: <why>" and exits 1, as GNU programs do (gnulib's close_stdout).
 *
 * A file named on the command line (--trace FILE) is checked before the
 * run starts, then written to a temporary file in the same folder and
 * renamed into place only when complete: a full disk leaves the old file
 * as it was, not half of a new one (and a signal removes the temporary
 * file). A device, a pipe, a link, or a file in a folder we may not write
 * is written as it is: there nothing can be renamed into place.
 */
#ifndef ATONCE_OUTPUT_H
#define ATONCE_OUTPUT_H

#include <limits.h>
#include <stdio.h>

/* Call first in main (options_parse does). With stdout closed (`>&-`),
 * says so and returns 1: a file opened later would become fd 1 and
 * receive the table. A closed stdin or stderr is opened on /dev/null for
 * the same reason. Otherwise arranges the check at exit and returns 0. */
int output_guard(const char *program_name);

/* Flushes `f` (before a fork: a child must not inherit unwritten output).
 * Returns 0 or -errno; for stdout the first failure's errno is kept for
 * the check at exit, which would otherwise no longer know why. */
int output_flush(FILE *f);

/* output_close's answer when an earlier write failed and its reason is
 * gone: stdio keeps only that a write failed, and drops the text it could
 * not write, so often nothing is left to flush at the end. */
#define OUTPUT_REASON_UNKNOWN 1

/* Flushes and closes `f`. Returns 0, or -errno when anything written to
 * it was lost (for stdout, the reason its first failed output_flush gave),
 * or OUTPUT_REASON_UNKNOWN. */
int output_close(FILE *f);

/* The reason in words for an error output_close or output_file_commit returned. */
const char *output_strerror(int err);

/* A file written whole or not at all. */
struct output_file {
    FILE *f;             /* write here */
    char path[PATH_MAX]; /* where it goes once complete */
    char temp[PATH_MAX]; /* where it is written meanwhile, in the same folder */
};

/* Opens a temporary file beside `path`. Returns 0 or -errno. */
int output_file_open(struct output_file *o, const char *path);

/* Closes the temporary file and renames it to its path. Returns 0,
 * -errno or OUTPUT_REASON_UNKNOWN; on failure the temporary file is removed and `path` untouched. */
int output_file_commit(struct output_file *o);

/* Closes and removes the temporary file. */
void output_file_discard(struct output_file *o);

/* Can `path` be written? Opens and discards a temporary file beside it.
 * Returns 0 or -errno. */
int output_file_check(const char *path);

#endif
