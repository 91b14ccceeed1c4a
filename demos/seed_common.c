#include "seed_common.h"

#include "i18n.h"

#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

/* The directory that holds this demo, as a file: a PATH entry can name it
 * in other words (relative, through a symlink), but not as another inode. */
static int own_directory(struct stat *dir)
{
    char self[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    if (n < 0)
        return -errno;
    self[n] = '\0';
    return stat(dirname(self), dir) == 0 ? 0 : -errno;
}

/* "<dir>/<name>" made absolute (a child may start in another directory),
 * for the PATH entry of `len` bytes at `dir` (empty: the current one).
 * Returns false when it does not fit. */
static bool absolute_candidate(const char *dir, size_t len, const char *name, char *out, size_t size)
{
    if (len == 0) /* POSIX: an empty entry is the current directory */
        dir = ".", len = 1;
    char cwd[PATH_MAX] = "";
    if (dir[0] != '/' && getcwd(cwd, sizeof cwd) == NULL)
        return false;
    int n = snprintf(out, size, "%s%s%.*s/%s", cwd, cwd[0] != '\0' ? "/" : "", (int)len, dir, name);
    return n > 0 && (size_t)n < size;
}

/* Whether a candidate is a program to run: a regular file we may execute,
 * in a directory that is not this demo's (`ours`; NULL: not known). */
static bool runnable_elsewhere(const char *file, const struct stat *ours)
{
    struct stat st, dir;
    if (stat(file, &st) != 0 || !S_ISREG(st.st_mode) || access(file, X_OK) != 0)
        return false;
    char copy[PATH_MAX];
    snprintf(copy, sizeof copy, "%s", file);
    bool in_ours = ours != NULL && stat(dirname(copy), &dir) == 0 && dir.st_dev == ours->st_dev &&
                   dir.st_ino == ours->st_ino;
    return !in_ours;
}

int seed_find_program(const char *name, char *path, size_t size, struct child_error *error)
{
    struct stat ours = {0};
    bool know_ours = own_directory(&ours) == 0;
    char fallback[256] = "/bin:/usr/bin";
    const char *search = getenv("PATH");
    if (search == NULL) { /* as posix_spawnp does */
        confstr(_CS_PATH, fallback, sizeof fallback);
        search = fallback;
    }
    for (const char *dir = search;; dir++) {
        size_t len = strcspn(dir, ":");
        if (absolute_candidate(dir, len, name, path, size) &&
            runnable_elsewhere(path, know_ours ? &ours : NULL))
            return 0;
        dir += len;
        if (*dir == '\0')
            break;
    }
    *error = (struct child_error){.step = CHILD_STEP_EXEC, .error = ENOENT};
    snprintf(error->program, sizeof error->program, "%s", name);
    return -ENOENT;
}

int seed_expect_returncode(const char *demo, const struct child *c, int expected)
{
    if (child_returncode(c) == expected)
        return 0;
    char how[64];
    child_describe(c, how, sizeof how);
    if (expected < 0)
        fprintf(stderr, "%s: %s: %s (expected: killed by SIG%s)\n", demo, c->program, how,
                sigabbrev_np(-expected));
    else
        fprintf(stderr, "%s: %s: %s (expected: exited with %d)\n", demo, c->program, how, expected);
    return 1;
}

void seed_describe(const struct child *c, char *buf, size_t size)
{
    if (!c->reaped) {
        snprintf(buf, size, "%s", _("still running"));
    } else if (WIFEXITED(c->status)) {
        snprintf(buf, size, _("exited with %d"), WEXITSTATUS(c->status));
    } else {
        const char *name = sigabbrev_np(WTERMSIG(c->status)); /* "TERM", or NULL */
        /* TRANSLATORS: "killed by SIGTERM", then " (core dumped)" or nothing */
        snprintf(buf, size, _("killed by SIG%s%s"), name != NULL ? name : "?",
                 WCOREDUMP(c->status) ? _(" (core dumped)") : "");
    }
}

int seed_pad(const char *text, int columns)
{
    size_t bytes = strlen(text);
    return columns + (int)(bytes - i18n_columns(text, bytes));
}

int seed_random_bytes(unsigned char *buf, size_t n)
{
    size_t got = 0;
    while (got < n) {
        ssize_t r = getrandom(buf + got, n - got, 0);
        if (r < 0 && errno != EINTR)
            return -errno;
        if (r > 0)
            got += (size_t)r;
    }
    return 0;
}

int seed_password_entry(char *buf, size_t size)
{
    unsigned char secret[16];
    int err = seed_random_bytes(secret, sizeof secret);
    if (err != 0)
        return err;
    int used = snprintf(buf, size, "password=");
    for (size_t i = 0; i < sizeof secret && used > 0 && (size_t)used < size; i++)
        used += snprintf(buf + used, size - (size_t)used, "%02x", secret[i]);
    return 0;
}

void seed_print_bytes(const unsigned char *data, size_t n)
{
    printf("b'");
    for (size_t i = 0; i < n; i++) {
        unsigned char c = data[i];
        if (c == '\'' || c == '\\')
            printf("\\%c", c);
        else if (c >= 0x20 && c < 0x7f)
            putchar(c);
        else
            printf("\\x%02x", c);
    }
    printf("'");
}

int seed_fail(const char *demo, const struct child_error *error)
{
    if (error->step == CHILD_STEP_EXEC && error->error == ENOENT && strcmp(error->program, "openssl") == 0) {
        fprintf(stderr, "%s: openssl not found in PATH: install the openssl package\n", demo);
        return 1;
    }
    char why[256];
    child_error_format(error, why, sizeof why);
    fprintf(stderr, "%s: %s\n", demo, why);
    return 1;
}
