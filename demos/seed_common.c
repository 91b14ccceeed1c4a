#include "seed_common.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>

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
