/*
 * seed_common: the few lines the seed's demos share: a random password for
 * the children's environment, random input bytes, printing bytes the way
 * Python prints them (b'\x9c\x83...'), and reporting a child's error.
 */
#ifndef ATONCE_SEED_COMMON_H
#define ATONCE_SEED_COMMON_H

#include "child.h"

#include <stddef.h>

/* Fills buf with n random bytes (getrandom). Returns 0 or -errno. */
int seed_random_bytes(unsigned char *buf, size_t n);

/* "password=<32 random hex digits>", for env_set: never put a secret in
 * argv, where every user can read it with ps. Returns 0 or -errno. */
int seed_password_entry(char *buf, size_t size);

/* Prints bytes much as Python's repr does, b'\x9c\x83\xc6lZ*)\xfc\x98I':
 * printable ASCII as itself, every other byte as \xNN (Python writes
 * \t, \n and \r by name, and may switch to double quotes). */
void seed_print_bytes(const unsigned char *data, size_t n);

/* Reports a child error on stderr as "<demo>: <what>", with the plain
 * advice when openssl is missing. Returns exit status 1. */
int seed_fail(const char *demo, const struct child_error *error);

#endif
