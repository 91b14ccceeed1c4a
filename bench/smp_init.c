/*
 * smp_init: the whole user space of bench/smp_boot.sh's guest. The kernel
 * starts it as /init, process 1, in a RAM disk that holds only it, the demos
 * in /bin, their shared libraries and a list of runs in /runs, one run a
 * line ("cpu --quick"). For each line it starts /bin/cpu --quick with
 * fork() and execve(), no shell, times it with CLOCK_MONOTONIC, and prints
 * the demo's output and one TIME line to the serial console. Then it powers
 * the guest off, which ends qemu.
 *
 * Usage: none by hand; smp_boot.sh compiles it with `gcc -static` (a static
 * program needs no loader and no libraries, so it runs before anything else).
 *
 * What it prints (smp_boot.sh reads the lines in capitals):
 *   BOOT 0.91 s CPUS 16
 *   ===== cpu --quick
 *   cpu: median of 3 runs after 1 warm-up
 *   ...
 *   TIME cpu --quick 2.41 s exit 0
 *   DONE
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_ARGS 32
#define OUTPUT   "/output" /* each demo's output, kept until it is copied to the console */

/* The demos' whole environment: no colour codes in the captured output. */
static char *const demo_env[] = {"PATH=/bin", "HOME=/", "TERM=dumb", "NO_COLOR=1", NULL};

static void say_errno(const char *what)
{
    printf("init: %s: %s\n", what, strerror(errno));
    fflush(stdout);
}

static double seconds(clockid_t clock)
{
    struct timespec t;
    clock_gettime(clock, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* The kernel gives process 1 no files when the RAM disk has no /dev/console
 * (making one needs root); devtmpfs has it, so we open it ourselves. */
static int mount_and_open_console(void)
{
    if (mount("proc", "/proc", "proc", 0, NULL) != 0 || mount("sysfs", "/sys", "sysfs", 0, NULL) != 0 ||
        mount("devtmpfs", "/dev", "devtmpfs", 0, NULL) != 0)
        return -1;
    int fd = open("/dev/console", O_RDWR); /* fds 0-2 are closed, so this is 0 */
    if (fd < 0 || dup2(fd, STDOUT_FILENO) < 0 || dup2(fd, STDERR_FILENO) < 0)
        return -1;
    return 0;
}

/* Splits `line` in place at spaces into argv; returns argc. */
static int split(char *line, char **argv)
{
    int argc = 0;
    for (char *word = strtok(line, " \t\n"); word != NULL && argc < MAX_ARGS - 1;
         word = strtok(NULL, " \t\n"))
        argv[argc++] = word;
    argv[argc] = NULL;
    return argc;
}

/* In the child: stdin from /dev/null, stdout and stderr into OUTPUT. A file,
 * not the console, because on a terminal the demos draw a progress line,
 * and because a serial port is slow: printing must not be part of the time. */
static void exec_demo(char **argv)
{
    int in = open("/dev/null", O_RDONLY);
    int out = open(OUTPUT, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (in < 0 || out < 0 || dup2(in, STDIN_FILENO) < 0 || dup2(out, STDOUT_FILENO) < 0 ||
        dup2(out, STDERR_FILENO) < 0)
        _exit(126);
    char path[256];
    snprintf(path, sizeof path, "/bin/%s", argv[0]);
    execve(path, argv, demo_env);
    _exit(127); /* exec failed: the shell's code for "not found" */
}

/* Copies OUTPUT to the console, after the run, outside the timed part. */
static void show_output(void)
{
    char buf[4096];
    ssize_t n;
    int fd = open(OUTPUT, O_RDONLY);
    if (fd < 0) {
        say_errno("open " OUTPUT);
        return;
    }
    fflush(stdout);
    while ((n = read(fd, buf, sizeof buf)) > 0)
        if (write(STDOUT_FILENO, buf, (size_t)n) != n)
            break;
    close(fd);
}

/* Runs one line of /runs and prints its TIME line. */
static void run(char *line)
{
    char shown[256];
    char *argv[MAX_ARGS];
    snprintf(shown, sizeof shown, "%s", line);
    shown[strcspn(shown, "\n")] = '\0';
    if (split(line, argv) == 0)
        return; /* an empty line */

    printf("===== %s\n", shown);
    fflush(stdout); /* or the child would print our buffer again */
    double start = seconds(CLOCK_MONOTONIC);
    pid_t pid = fork();
    if (pid < 0) {
        say_errno("fork");
        return;
    }
    if (pid == 0)
        exec_demo(argv);
    int status;
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR) {
            say_errno("waitpid");
            return;
        }
    double wall = seconds(CLOCK_MONOTONIC) - start;

    show_output();
    if (WIFEXITED(status))
        printf("TIME %s %.2f s exit %d\n", shown, wall, WEXITSTATUS(status));
    else
        printf("TIME %s %.2f s signal %d\n", shown, wall, WTERMSIG(status));
    fflush(stdout);
}

int main(void)
{
    if (mount_and_open_console() != 0)
        return 1; /* nowhere to say so: the kernel panics, and panic=-1 ends qemu */
    /* The first \n ends the firmware's last line, which has none. */
    printf("\nBOOT %.2f s CPUS %ld\n", seconds(CLOCK_BOOTTIME), sysconf(_SC_NPROCESSORS_ONLN));

    FILE *runs = fopen("/runs", "r");
    if (runs == NULL) {
        say_errno("fopen /runs");
    } else {
        char line[256];
        while (fgets(line, sizeof line, runs) != NULL)
            run(line);
        fclose(runs);
    }
    printf("DONE\n");
    fflush(stdout);
    sync();
    reboot(RB_POWER_OFF); /* process 1 must never return: this ends the guest */
    say_errno("reboot");
    return 1;
}
