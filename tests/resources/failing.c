/*
 * failing: a library to LD_PRELOAD into a demo, so that a test can make
 * fork() or pthread_create() fail part-way, as they do when the process
 * limit (RLIMIT_NPROC) is reached, even where the tests run as root (root
 * ignores that limit). Only the tests load it; the demos know nothing of it.
 *
 *   ATONCE_FAIL_FORK_AFTER=N            the first N forks work, the rest fail with EAGAIN
 *   ATONCE_FAIL_PTHREAD_CREATE_AFTER=N  the same for pthread_create
 */
#include <dlfcn.h>
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <unistd.h>

/* Whether this call should fail: after `variable`'s number of calls. */
static int should_fail(const char *variable, atomic_int *calls)
{
    const char *limit = getenv(variable);
    return limit != NULL && atomic_fetch_add(calls, 1) >= atoi(limit);
}

pid_t fork(void)
{
    static atomic_int calls;
    if (should_fail("ATONCE_FAIL_FORK_AFTER", &calls)) {
        errno = EAGAIN;
        return -1;
    }
    pid_t (*real_fork)(void);
    *(void **)&real_fork = dlsym(RTLD_NEXT, "fork"); /* POSIX's way to turn dlsym into a function */
    return real_fork();
}

int pthread_create(pthread_t *thread, const pthread_attr_t *attr, void *(*start)(void *), void *arg)
{
    static atomic_int calls;
    if (should_fail("ATONCE_FAIL_PTHREAD_CREATE_AFTER", &calls))
        return EAGAIN; /* pthread_* return the error, not -1 and errno */
    int (*real_create)(pthread_t *, const pthread_attr_t *, void *(*)(void *), void *);
    *(void **)&real_create = dlsym(RTLD_NEXT, "pthread_create");
    return real_create(thread, attr, start, arg);
}
