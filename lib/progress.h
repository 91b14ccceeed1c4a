/*
 * progress: one line on stderr saying what a long measurement is doing
 * ("measuring threads: run 2 of 4"), rewritten in place and erased when
 * done, so the teacher at the projector sees the demo is alive during a
 * sleep row of 10 s or a sweep. Only on a terminal: when stderr is a file
 * or a pipe (a test, a note being refreshed, --json piped to jq), nothing
 * is ever written, and stdout is never touched.
 */
#ifndef ATONCE_PROGRESS_H
#define ATONCE_PROGRESS_H

#include <stdbool.h>

/* Is stderr a terminal that understands "\r" and "erase to end of line"
 * (not TERM=dumb)? Only there is a progress line drawn. */
bool progress_can_show(void);

/* Replaces the progress line with this text (printf format). */
void progress_show(const char *format, ...) __attribute__((format(printf, 1, 2)));

/* Erases the progress line, if one was shown. */
void progress_clear(void);

#endif
