/*
 * seed_common: the few lines the seed's demos share: finding the system's
 * programs (never one of ours), a random password for the children's
 * environment, random input bytes, printing bytes the way Python prints
 * them (b'\x9c\x83...'), saying how a child ended in the output's language,
 * padding a text to columns, and reporting a child's error.
 */
#ifndef ATONCE_SEED_COMMON_H
#define ATONCE_SEED_COMMON_H

#include "child.h"

#include <stddef.h>

/* Finds the program `name` (sleep, echo, openssl, true) once, as PATH
 * would, but never in the directory that holds this demo: with
 * PATH=build/demos:$PATH, `sleep` there is our sleep demo, not coreutils'.
 * Writes its absolute path to `path`, for child_options.executable (the
 * child's argv[0] stays `name`). Returns 0, or -ENOENT with `error` filled
 * as child_spawn fills it for a missing program. */
int seed_find_program(const char *name, char *path, size_t size, struct child_error *error);

/* Checks a reaped child's returncode: 0 when it is `expected` (0, or -15
 * for killed by SIGTERM); otherwise says on stderr
 * "<demo>: <program> <how it ended>, not <expected>" and returns 1. */
int seed_expect_returncode(const char *demo, const struct child *c, int expected);

/* Fills buf with n random bytes (getrandom). Returns 0 or -errno. */
int seed_random_bytes(unsigned char *buf, size_t n);

/* "password=<32 random hex digits>", for env_set: never put a secret in
 * argv, where every user can read it with ps. Returns 0 or -errno. */
int seed_password_entry(char *buf, size_t size);

/* Prints bytes much as Python's repr does, b'\x9c\x83\xc6lZ*)\xfc\x98I':
 * printable ASCII as itself, every other byte as \xNN (Python writes
 * \t, \n and \r by name, and may switch to double quotes). */
void seed_print_bytes(const unsigned char *data, size_t n);

/* How a child ended, as child_describe says it ("exited with 0", "killed
 * by SIGTERM", "still running"), but in the output's language (lib/i18n.h):
 * for the lines a student reads on stdout. child_describe's own words stay
 * English, for the errors on stderr. */
void seed_describe(const struct child *c, char *buf, size_t size);

/* The printf width ("%-*s") that pads `text` to `columns` terminal
 * columns: a Hangul syllable takes 3 bytes but 2 columns, so "%-11s" would
 * leave a Korean word short of its column. */
int seed_pad(const char *text, int columns);

/* Reports a child error on stderr as "<demo>: <what>", with the plain
 * advice when openssl is missing. Returns exit status 1. */
int seed_fail(const char *demo, const struct child_error *error);

#endif
