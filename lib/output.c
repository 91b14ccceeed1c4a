#include "output.h"
#include "interrupt.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char name[64];

/* Why the first failed flush of stdout failed: stdio keeps only that it
 * failed, and drops what it could not write, so the end has nothing left
 * to flush and no errno to say why. */
static int stdout_first_errno;

int output_flush(FILE *f)
{
    errno = 0;
    if (fflush(f) == 0)
        return 0;
    int err = errno != 0 ? errno : EIO;
    if (f == stdout && stdout_first_errno == 0)
        stdout_first_errno = err;
    return -err;
}

int output_close(FILE *f)
{
    bool failed_before = ferror(f) != 0;
    int err = -output_flush(f);
    if (fclose(f) != 0 && err == 0)
        err = errno != 0 ? errno : EIO;
    if (err == 0 && failed_before)
        return f == stdout && stdout_first_errno != 0 ? -stdout_first_errno : OUTPUT_REASON_UNKNOWN;
    return -err;
}

const char *output_strerror(int err)
{
    return err == OUTPUT_REASON_UNKNOWN ? "reason unknown" : strerror(-err);
}

static void close_stdout_at_exit(void)
{
    int err = output_close(stdout);
    if (err != 0) {
        fprintf(stderr, "%s: write error on standard output: %s\n", name, output_strerror(err));
        _exit(1);
    }
}

/* Is file descriptor `fd` open? */
static bool is_open(int fd)
{
    return fcntl(fd, F_GETFD) != -1 || errno != EBADF;
}

/* Opens /dev/null as exactly fd `fd`, which is closed. */
static void fill_with_dev_null(int fd, int flags)
{
    int opened = open("/dev/null", flags);
    if (opened >= 0 && opened != fd) {
        dup2(opened, fd);
        close(opened);
    }
}

int output_guard(const char *program_name)
{
    static bool registered;
    snprintf(name, sizeof name, "%s", program_name);
    if (!is_open(STDOUT_FILENO)) { /* first: nothing may take fd 1 before we know */
        if (is_open(STDERR_FILENO))
            fprintf(stderr, "%s: standard output is closed: nothing could be written\n", name);
        return 1;
    }
    if (!is_open(STDIN_FILENO))
        fill_with_dev_null(STDIN_FILENO, O_RDONLY);
    if (!is_open(STDERR_FILENO))
        fill_with_dev_null(STDERR_FILENO, O_WRONLY);
    if (!registered)
        registered = atexit(close_stdout_at_exit) == 0;
    return 0;
}

/* Should `path` be written beside and renamed? Only when it is a regular
 * file or not there yet: a device (/dev/stdout) or a link is written as is. */
static bool write_beside(const char *path)
{
    struct stat st;
    return lstat(path, &st) != 0 ? errno == ENOENT : S_ISREG(st.st_mode);
}

/* Where `path` is written until complete: beside it, named after our pid. */
static bool temp_name(char *buf, size_t size, const char *path)
{
    return snprintf(buf, size, "%s.%ld.tmp", path, (long)getpid()) < (int)size;
}

int output_file_open(struct output_file *o, const char *path)
{
    *o = (struct output_file){0};
    if (snprintf(o->path, sizeof o->path, "%s", path) >= (int)sizeof o->path)
        return -ENAMETOOLONG;
    int fd = -1;
    if (write_beside(path)) {
        if (!temp_name(o->temp, sizeof o->temp, path))
            return -ENAMETOOLONG;
        fd = open(o->temp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666); /* the umask applies */
        if (fd < 0 && errno == EACCES) /* a folder we may not write, holding a file we may: write it as is */
            o->temp[0] = '\0';
    }
    if (o->temp[0] == '\0')
        fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
    else if (fd >= 0)
        interrupt_remove_on_stop(o->temp); /* Ctrl-C while writing leaves no temporary file */
    if (fd < 0 || (o->f = fdopen(fd, "w")) == NULL) {
        int err = errno;
        if (fd >= 0) {
            close(fd);
            unlink(o->temp);
        }
        o->temp[0] = '\0';
        return -err;
    }
    return 0;
}

void output_file_discard(struct output_file *o)
{
    if (o->f != NULL)
        fclose(o->f);
    o->f = NULL;
    if (o->temp[0] != '\0')
        unlink(o->temp);
    o->temp[0] = '\0';
    interrupt_remove_on_stop(NULL);
}

int output_file_commit(struct output_file *o)
{
    int err = output_close(o->f);
    o->f = NULL;
    if (err == 0 && o->temp[0] != '\0' && rename(o->temp, o->path) != 0)
        err = -errno;
    if (err != 0)
        output_file_discard(o);
    o->temp[0] = '\0';
    interrupt_remove_on_stop(NULL);
    return err;
}

int output_file_check(const char *path)
{
    if (!write_beside(path)) /* a device, a pipe or a link: opening a pipe would wait for its reader */
        return access(path, W_OK) == 0 ? 0 : -errno;
    char temp[PATH_MAX];
    if (!temp_name(temp, sizeof temp, path))
        return -ENAMETOOLONG;
    int fd = open(temp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd >= 0) {
        close(fd);
        unlink(temp);
        return 0;
    }
    int err = errno;
    if (err == EACCES && access(path, W_OK) == 0) /* a file we may write, in a folder we may not */
        return 0;
    return -err;
}
