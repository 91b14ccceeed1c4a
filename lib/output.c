#include "output.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char name[64];

int output_close(FILE *f)
{
    bool failed_before = ferror(f) != 0;
    errno = 0;
    int flushed = fflush(f);
    int err = flushed != 0 ? errno : 0;
    if (fclose(f) != 0 && err == 0)
        err = errno != 0 ? errno : EIO;
    if (err == 0 && failed_before)
        err = EIO; /* the write that failed said why; that errno is gone */
    return -err;
}

static void close_stdout_at_exit(void)
{
    int err = output_close(stdout);
    if (err != 0) {
        fprintf(stderr, "%s: write error on standard output: %s\n", name, strerror(-err));
        _exit(1);
    }
}

/* Is file descriptor `fd` open? */
static bool is_open(int fd)
{
    return fcntl(fd, F_GETFD) != -1 || errno != EBADF;
}

int output_guard(const char *program_name)
{
    static bool registered;
    snprintf(name, sizeof name, "%s", program_name);
    if (!is_open(STDERR_FILENO))
        (void)!open("/dev/null", O_WRONLY); /* takes fd 2, the lowest free one after 0 and 1 */
    if (!is_open(STDOUT_FILENO)) {
        fprintf(stderr, "%s: standard output is closed: nothing could be written\n", name);
        return 1;
    }
    if (!is_open(STDIN_FILENO))
        (void)!open("/dev/null", O_RDONLY); /* takes fd 0 */
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

int output_file_open(struct output_file *o, const char *path)
{
    *o = (struct output_file){0};
    if (snprintf(o->path, sizeof o->path, "%s", path) >= (int)sizeof o->path)
        return -ENAMETOOLONG;
    int fd;
    if (write_beside(path)) {
        if (snprintf(o->temp, sizeof o->temp, "%s.%ld.tmp", path, (long)getpid()) >= (int)sizeof o->temp)
            return -ENAMETOOLONG;
        fd = open(o->temp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666); /* the umask applies */
    } else
        fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
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
    return err;
}

int output_file_check(const char *path)
{
    if (!write_beside(path)) { /* a device or a link: open it, but change nothing yet */
        int fd = open(path, O_WRONLY | O_CLOEXEC);
        if (fd < 0)
            return -errno;
        close(fd);
        return 0;
    }
    struct output_file o;
    int err = output_file_open(&o, path);
    if (err == 0)
        output_file_discard(&o);
    return err;
}
