#include "progress.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static bool shown;

bool progress_can_show(void)
{
    const char *term = getenv("TERM");
    return isatty(STDERR_FILENO) && !(term != NULL && strcmp(term, "dumb") == 0);
}

void progress_show(const char *format, ...)
{
    if (!progress_can_show())
        return;
    va_list args;
    va_start(args, format);
    fputs("\r\033[K", stderr); /* back to the start of the line, erase it */
    vfprintf(stderr, format, args);
    va_end(args);
    fflush(stderr);
    shown = true;
}

void progress_clear(void)
{
    if (!shown)
        return;
    fputs("\r\033[K", stderr);
    fflush(stderr);
    shown = false;
}
