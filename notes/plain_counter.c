/*
 * plain_counter: the data race that race's unsynchronized way avoids on
 * purpose. Two threads run `counter++` on one plain variable with nothing
 * between them: undefined behaviour in C11, and here that is the point.
 * It is built only so that ThreadSanitizer has something to report
 * (notes/16-race.md shows the report):
 *
 *   meson setup build-tsan -Db_sanitize=thread
 *   ninja -C build-tsan notes/plain_counter
 *   build-tsan/notes/plain_counter
 *
 * Not a demo: not installed, and no test runs it.
 */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#define ADDITIONS 1000000

static long counter; /* shared and unprotected: the bug */

static void *add(void *unused)
{
    (void)unused;
    for (int i = 0; i < ADDITIONS; i++)
        counter++; /* load, add, store, with nothing to stop the other thread */
    return NULL;
}

int main(void)
{
    pthread_t first, second;
    int err = pthread_create(&first, NULL, add, NULL);
    if (err == 0) {
        err = pthread_create(&second, NULL, add, NULL);
        if (err == 0)
            pthread_join(second, NULL);
        pthread_join(first, NULL);
    }
    if (err != 0) {
        fprintf(stderr, "plain_counter: pthread_create: %s\n", strerror(err));
        return 1;
    }
    printf("counted %ld of %d\n", counter, 2 * ADDITIONS);
    return 0;
}
