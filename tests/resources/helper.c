/*
 * helper: a child for the child-process tests to start, one behaviour per
 * subcommand, so the tests need no shell.
 *
 *   helper exit N            exit with status N
 *   helper fail TEXT         write TEXT to stderr, exit 1
 *   helper raise SIGNAL      kill itself with SIGNAL (a number)
 *   helper sleep S           sleep S seconds, exit 0
 *   helper ignore-term S     ignore SIGTERM, then sleep S seconds
 *   helper grandchild S      fork a grandchild that sleeps S seconds holding
 *                            stdout open; print its pid; wait for it
 *   helper stderr-first N    write N bytes to stderr, then copy stdin to stdout
 *   helper fds               print the open fds, e.g. "0 1 2"
 *   helper env NAME          print NAME's value, or "(unset)"
 *   helper sigstate          print the SigBlk and SigIgn masks from /proc
 *   helper flood S           grow the stdout pipe to 1 MiB and write to it
 *                            nonstop for S seconds, so it never goes quiet
 */
#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void nap(double seconds)
{
    struct timespec ts = {.tv_sec = (time_t)seconds, .tv_nsec = (long)((seconds - (long)seconds) * 1e9)};
    while (nanosleep(&ts, &ts) != 0)
        continue;
}

static int list_fds(void)
{
    DIR *dir = opendir("/proc/self/fd");
    if (dir == NULL)
        return 1;
    int own = dirfd(dir);
    const char *sep = "";
    for (struct dirent *e; (e = readdir(dir)) != NULL;) {
        if (e->d_name[0] == '.' || atoi(e->d_name) == own)
            continue;
        printf("%s%s", sep, e->d_name);
        sep = " ";
    }
    printf("\n");
    closedir(dir);
    return 0;
}

static int copy_after_stderr(long bytes)
{
    char block[4096];
    memset(block, 'e', sizeof block);
    for (long done = 0; done < bytes; done += (long)sizeof block)
        if (fwrite(block, 1, sizeof block, stderr) != sizeof block)
            return 1;
    fflush(stderr);
    size_t n;
    while ((n = fread(block, 1, sizeof block, stdin)) > 0)
        fwrite(block, 1, n, stdout);
    return 0;
}

static int print_signal_state(void)
{
    FILE *status = fopen("/proc/self/status", "r");
    char line[256];
    while (status != NULL && fgets(line, sizeof line, status) != NULL)
        if (strncmp(line, "SigBlk:", 7) == 0 || strncmp(line, "SigIgn:", 7) == 0)
            fputs(line, stdout);
    return status != NULL ? fclose(status) : 1;
}

static int flood(double seconds)
{
    static char block[65536];
    fcntl(1, F_SETPIPE_SZ, 1 << 20);
    struct timespec start, now;
    clock_gettime(CLOCK_MONOTONIC, &start);
    do {
        if (write(1, block, sizeof block) < 0)
            return 1;
        clock_gettime(CLOCK_MONOTONIC, &now);
    } while ((double)(now.tv_sec - start.tv_sec) + (double)(now.tv_nsec - start.tv_nsec) / 1e9 < seconds);
    return 0;
}

static int grandchild(double seconds)
{
    pid_t pid = fork();
    if (pid == 0) {
        nap(seconds); /* holds stdout, the parent's pipe, open all this time */
        _exit(0);
    }
    printf("%d\n", (int)pid);
    fflush(stdout);
    waitpid(pid, NULL, 0);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 2)
        return 2;
    const char *what = argv[1], *arg = argc > 2 ? argv[2] : "0";
    if (strcmp(what, "exit") == 0)
        return atoi(arg);
    if (strcmp(what, "fail") == 0) {
        fprintf(stderr, "%s\n", arg);
        return 1;
    }
    if (strcmp(what, "raise") == 0) {
        signal(atoi(arg), SIG_DFL);
        raise(atoi(arg));
        return 3;
    }
    if (strcmp(what, "sleep") == 0) {
        nap(atof(arg));
        return 0;
    }
    if (strcmp(what, "ignore-term") == 0) {
        signal(SIGTERM, SIG_IGN);
        nap(atof(arg));
        return 0;
    }
    if (strcmp(what, "grandchild") == 0)
        return grandchild(atof(arg));
    if (strcmp(what, "stderr-first") == 0)
        return copy_after_stderr(atol(arg));
    if (strcmp(what, "fds") == 0)
        return list_fds();
    if (strcmp(what, "env") == 0) {
        const char *value = getenv(arg);
        printf("%s\n", value != NULL ? value : "(unset)");
        return 0;
    }
    if (strcmp(what, "sigstate") == 0)
        return print_signal_state();
    if (strcmp(what, "flood") == 0)
        return flood(atof(arg));
    return 2;
}
