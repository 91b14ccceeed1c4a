/*
 * tour: the whole lesson at the projector. It runs every demo in the order
 * of notes/README.md, with short settings, and before each one prints its
 * title, the one question it answers, the exact command (so students can
 * run it again themselves) and the note to open.
 *
 * Usage: tour [--quick] [--no-pause] [--predict] [--lang en|ko]
 *
 * On a terminal it waits for Enter between demos (s skips one, q quits).
 * With --no-pause, or when stdin is not a terminal, it goes straight on.
 * --predict asks the question first and, after the run, shows the student's
 * guess beside what the demo measured (its verdicts' figures) and the answer.
 *
 * Each demo runs as a child in a process group of its own, so that the
 * tour can stop the demo's whole group (the demo and any children it
 * started), reap it and exit 130 on Ctrl-C (143 for SIGTERM), leaving
 * nothing behind. At a terminal the demo's group is the terminal's
 * foreground group while it runs, as a shell does with a job: under
 * `stty tostop` a background group that writes to the terminal is stopped.
 * Ctrl-C typed then reaches the demo's group; the tour sees the demo end
 * with 130 and stops as well.
 */
#include "child.h"
#include "demo.h"
#include "options.h"
#include "output.h"
#include "tour_stops.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#define STOP_GRACE 1.0 /* seconds between SIGINT to the demo's group and SIGKILL */

#define STOP_COUNT tour_stop_count

static bool quick, no_pause, predict;
static const char *lang = NULL; /* without --lang: the locale's (lib/i18n.h) */
static const char *const languages[] = {"en", "ko", NULL};

static const struct demo_flag flags[] = {
    {"quick", DEMO_FLAG_SWITCH, NULL, N_("each demo's short settings: at most 15 s in all"), &quick, NULL},
    {"no-pause", DEMO_FLAG_SWITCH, NULL, N_("do not wait for Enter between demos"), &no_pause, NULL},
    {"predict", DEMO_FLAG_SWITCH, NULL, N_("ask each question first, answer it after the run"), &predict,
     NULL},
    {"lang", DEMO_FLAG_CHOICE, "LANG",
     N_("en or ko: the questions, notes and output (default: the locale's)"), &lang, languages},
    {0},
};

static const struct demo_info demo = {
    .name = "tour",
    .summary = N_("Runs every demo in the order of the lesson, each with its title, question,\n"
                  "command and note. Waits for Enter between demos on a terminal."),
    .note = "notes/README.md",
    .flags = flags,
    .exit_help = N_("0 ok, 1 a demo failed, 2 bad usage, 130 Ctrl-C, 143 SIGTERM."),
};

/* ---- signals: Ctrl-C ends the tour, cleanly ---------------------------- */

static volatile sig_atomic_t stop_signal;

static void on_signal(int sig)
{
    stop_signal = sig;
}

/* No SA_RESTART: a read of the keyboard or a wait returns at once with
 * EINTR, and the loop that made it sees stop_signal. */
static void catch_stop_signals(void)
{
    struct sigaction sa = {.sa_handler = on_signal};
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);  /* the terminal closed */
    sigaction(SIGQUIT, &sa, NULL); /* Ctrl-\ */
    /* Ctrl-Z would stop the tour alone while the demo, in its own group,
     * ran on: the tour does not stop (Ctrl-C does). */
    signal(SIGTSTP, SIG_IGN);
}

/* The tour is a subreaper: whatever a demo started outside its own group
 * (timeout's forker group, mpirun's ranks) becomes the tour's child when
 * the demo dies. Kill those still alive (kill_them), reap all. */
static void reap_orphans(bool kill_them)
{
    for (int round = 0; kill_them && round < 10; round++) { /* their children come to us next */
        DIR *proc = opendir("/proc");
        int killed = 0;
        for (struct dirent *e; proc != NULL && (e = readdir(proc)) != NULL;) {
            char path[300], stat[512];
            snprintf(path, sizeof path, "/proc/%s/stat", e->d_name);
            FILE *f = e->d_name[0] >= '1' && e->d_name[0] <= '9' ? fopen(path, "r") : NULL;
            size_t n = f != NULL ? fread(stat, 1, sizeof stat - 1, f) : 0;
            if (f != NULL)
                fclose(f);
            stat[n] = '\0';
            const char *after_name = strrchr(stat, ')'); /* "pid (name) S ppid ..." */
            int ppid = 0;
            if (after_name != NULL && sscanf(after_name, ") %*c %d", &ppid) == 1 && ppid == getpid()) {
                kill(atoi(e->d_name), SIGKILL);
                killed++;
            }
        }
        if (proc != NULL)
            closedir(proc);
        while (waitpid(-1, NULL, 0) > 0) /* reap them, and any that died before */
            ;
        if (killed == 0)
            break;
    }
    while (waitpid(-1, NULL, WNOHANG) > 0) /* orphans that ended by themselves */
        ;
}

/* ---- the terminal: the demo in front while it runs --------------------- */

/* The terminal to hand to each demo: the tour's controlling terminal, on
 * stdin, stdout or stderr, while the tour is its foreground group. -1:
 * none (not at a terminal, or the tour itself runs in the background). */
static int foreground_terminal(void)
{
    const int fds[] = {STDOUT_FILENO, STDERR_FILENO, STDIN_FILENO};
    for (size_t i = 0; i < sizeof fds / sizeof fds[0]; i++)
        if (tcgetpgrp(fds[i]) == getpgrp())
            return fds[i];
    return -1;
}

/* Makes `group` the terminal's foreground group. Once the tour has given the
 * terminal away it is in the background, and tcsetpgrp from there would
 * stop it with SIGTTOU: blocked, the signal lets the call through (POSIX).
 * A failure leaves the terminal as it was: nothing better to do. */
static void give_terminal(int terminal, pid_t group)
{
    if (terminal < 0)
        return;
    sigset_t ttou, saved;
    sigemptyset(&ttou);
    sigaddset(&ttou, SIGTTOU);
    sigprocmask(SIG_BLOCK, &ttou, &saved);
    (void)tcsetpgrp(terminal, group);
    sigprocmask(SIG_SETMASK, &saved, NULL);
}

/* A demo that has the terminal can be stopped from it (Ctrl-Z): the tour
 * never stops (SIGTSTP is ignored), so neither does the demo. Also ends
 * the stop of a demo that wrote before it was given the terminal. */
static void keep_demo_running(const struct child *c)
{
    siginfo_t info = {0};
    if (waitid(P_PID, (id_t)c->pid, &info, WSTOPPED | WNOHANG) == 0 && info.si_pid == c->pid)
        kill(-c->pid, SIGCONT); /* its whole group */
}

/* Whether a demo that had the terminal ended because Ctrl-C (or Ctrl-\)
 * was typed: its group got the signal, not the tour. Demos exit 128 + the
 * signal (lib/interrupt.h); a program without a handler dies of it. */
static int keyboard_signal(int returncode)
{
    if (returncode == 128 + SIGINT || returncode == -SIGINT)
        return SIGINT;
    if (returncode == 128 + SIGQUIT || returncode == -SIGQUIT)
        return SIGQUIT;
    return 0;
}

/* ---- printing ------------------------------------------------------------ */

static bool color;
static struct machine machine; /* read once: the numbers the answers quote */

static void print_bold(const char *text)
{
    printf(color ? "\033[1m%s\033[0m" : "%s", text);
}

/* A question or an answer, with this machine's numbers in it, and a newline. */
static void print_for_machine(const char *text)
{
    char filled[1024];
    tour_fill(_(text), &machine, filled, sizeof filled);
    printf("%s\n", filled);
}

/* The command line of a stop: the demo's path and its flags, after mpirun
 * for an MPI demo. Open MPI refuses to run as root unless told it may:
 * only then is --allow-run-as-root added (in CI, say), in plain sight. */
static size_t build_argv(const struct stop *s, const char *path, const char *argv[MAX_ARGS + 8])
{
    const char *const *flags = quick ? s->quick_argv : s->argv;
    size_t n = 0;
    if (s->mpi) {
        argv[n++] = "mpirun";
        if (geteuid() == 0)
            argv[n++] = "--allow-run-as-root";
        argv[n++] = "-np";
        argv[n++] = "2";
    }
    argv[n++] = path;
    for (size_t i = 1; flags[i] != NULL; i++)
        argv[n++] = flags[i];
    argv[n] = NULL;
    return n;
}

/* "build/demos/sleep --runs 1", as the user can type it again. */
static void format_command(const char *const argv[], char *out, size_t size)
{
    size_t used = 0;
    out[0] = '\0';
    for (size_t i = 0; argv[i] != NULL && used < size; i++)
        used += (size_t)snprintf(out + used, size - used, "%s%s", i > 0 ? " " : "", argv[i]);
}

/* The stop's title, question, command and note. At a terminal the prompt
 * follows at once: every line counts on a 40-line screen. */
static void print_header(size_t index, const struct stop *s, const char *command, bool pausing)
{
    char heading[160];
    snprintf(heading, sizeof heading, "[%zu/%zu] %s", index + 1, STOP_COUNT, _(s->title));
    printf("\n");
    print_bold(heading);
    printf("\n");
    print_for_machine(s->question);
    printf(_("command: %s\n"), command);
    /* TRANSLATORS: the note's path: notes/ko/ in Korean */
    printf(_("note: notes/%s\n"), s->note);
    printf("%s", pausing ? "" : "\n");
}

/* ---- the keyboard ------------------------------------------------------- */

enum choice { RUN, SKIP, QUIT };

/* Reads one line from the terminal; false at end of input or on a signal.
 * read(), not stdio: a terminal hands over one line per read, and stdio
 * would keep the lines typed after it in its own buffer, out of reach of
 * forget_typed_ahead. */
static bool read_line(char *line, size_t size)
{
    output_flush(stdout);
    ssize_t n = read(STDIN_FILENO, line, size - 1);
    if (n <= 0)
        return false;
    line[n] = '\0';
    line[strcspn(line, "\n")] = '\0';
    tour_drop_cut_character(line); /* a line longer than `size` may end mid-character */
    return true;
}

/* Keys pressed while a demo ran were not answers to the next prompt (an
 * impatient Enter would run the next demo unseen): the terminal forgets them. */
static void forget_typed_ahead(void)
{
    tcflush(STDIN_FILENO, TCIFLUSH);
}

static enum choice ask_to_go_on(void)
{
    printf("%s", _("Enter: run it, s: skip, q: quit > "));
    char line[64];
    if (!read_line(line, sizeof line))
        return QUIT;
    return demo_is_choice(line, "quit") ? QUIT : demo_is_choice(line, "skip") ? SKIP : RUN;
}

/* ---- running one demo ------------------------------------------------- */

/* Waits for the demo in short waits, so that a Ctrl-C is seen within a
 * tenth of a second. Returns as child_wait does (-ETIMEDOUT: the tour was
 * stopped while the demo still ran). */
static int wait_for_demo(struct child *c, int terminal, struct child_error *error)
{
    int err;
    do {
        err = child_wait(c, 0.1, error);
        if (err == -ETIMEDOUT && terminal >= 0)
            keep_demo_running(c);
    } while (err == -ETIMEDOUT && stop_signal == 0);
    return err;
}

/* The tour is stopping: Ctrl-C to the demo's whole group, as a terminal
 * would send it; any other stop as SIGTERM. A grace period to finish, then
 * SIGKILL; then whatever the demo left behind. */
static void stop_demo(struct child *c)
{
    child_send_signal(c, stop_signal == SIGINT ? SIGINT : SIGTERM, NULL);
    if (child_wait(c, STOP_GRACE, NULL) != 0)
        child_stop(c, 0.0, NULL);
    child_close(c);
    reap_orphans(true);
}

/* How much each demo shows (lib/options.h). At a terminal the tour goes a
 * screen at a time: a harness demo shows its tables and verdict first and
 * asks before its timeline and legend, so that a stop fits the projector.
 * A demo under mpirun has no keyboard (mpirun would forward it to a rank,
 * taking the tour's keys): it leaves them out. Not at a terminal (a file,
 * --no-pause), every demo prints everything. */
static const char *details_for(const struct stop *s, bool pausing)
{
    if (!pausing || !isatty(STDOUT_FILENO))
        return "ATONCE_DETAILS=";
    return s->mpi ? "ATONCE_DETAILS=omit" : "ATONCE_DETAILS=ask";
}

/* Runs the demo in a process group of its own and waits for it. Returns
 * its returncode, or -1 when it could not start or the tour was stopped. */
static int run_demo(const char *const child_argv[], const char *details, const char *measured_env,
                    bool keyboard)
{
    /* Colour as the tour has it (a demo under mpirun sees a pseudo-terminal
     * even when the tour writes to a file), and each demo's last line names
     * the note in the tour's language, which they inherit (LANGUAGE, set
     * by i18n_use_language). */
    const char *env[4] = {NULL, NULL, NULL, NULL};
    size_t n = 0;
    if (!color)
        env[n++] = "NO_COLOR=1";
    env[n++] = details;
    env[n] = measured_env; /* "ATONCE_MEASURED=file", or "ATONCE_MEASURED=": none from our own environment */
    struct child_options options = {
        .env_set = env,
        .in.mode = keyboard ? CHILD_INHERIT : CHILD_DEVNULL,
        .new_process_group = true,
    };
    struct child c;
    struct child_error error = {0};
    char message[512];
    int terminal = foreground_terminal();
    output_flush(stdout);
    if (child_spawn(&c, child_argv, &options, &error) != 0) {
        child_error_format(&error, message, sizeof message);
        fprintf(stderr, "tour: %s\n", message);
        return -1;
    }
    give_terminal(terminal, c.pid); /* the demo leads its group: its id is the demo's pid */
    if (terminal >= 0)
        kill(-c.pid, SIGCONT); /* a write before it had the terminal may have stopped it */
    int err = wait_for_demo(&c, terminal, &error);
    int returncode = err == 0 ? child_returncode(&c) : -1;
    if (stop_signal == 0 && terminal >= 0) /* Ctrl-C typed at the terminal reached the demo alone */
        stop_signal = keyboard_signal(returncode);
    if (stop_signal != 0) {
        stop_demo(&c);
        give_terminal(terminal, getpgrp());
        return -1;
    }
    give_terminal(terminal, getpgrp()); /* before the tour writes again */
    if (err != 0) {
        child_error_format(&error, message, sizeof message);
        fprintf(stderr, "tour: %s\n", message);
    }
    child_close(&c);
    reap_orphans(false);
    return returncode;
}

/* ---- what the demo measured, for --predict ------------------------------- */

/* Makes an empty file for the demo to write what it measured in (lib/demo.h)
 * and sets `env` to "ATONCE_MEASURED=its path"; "" when it could not. What
 * the tour printed is flushed first: a reader gone (SIGPIPE) ends the tour
 * there, before the file exists, not after. */
static void make_measured_file(char *env, size_t size)
{
    output_flush(stdout);
    const char *dir = getenv("TMPDIR");
    int prefix = snprintf(env, size, "ATONCE_MEASURED=");
    snprintf(env + prefix, size - (size_t)prefix, "%s/atonce-measured-XXXXXX",
             dir != NULL && dir[0] != '\0' ? dir : "/tmp");
    int fd = mkstemp(env + prefix);
    if (fd < 0) {
        fprintf(stderr, "tour: mkstemp %s: %s\n", env + prefix, strerror(errno));
        env[0] = '\0';
        return;
    }
    close(fd);
}

/* What the demo wrote in the file, into `text`; then the file is removed.
 * A demo that judges nothing wrote nothing. */
static void take_measured(const char *env, char *text, size_t size)
{
    const char *path = strchr(env, '=');
    text[0] = '\0';
    if (path == NULL)
        return;
    path++;
    FILE *f = fopen(path, "r");
    size_t len = f != NULL ? fread(text, 1, size - 1, f) : 0;
    if (f != NULL)
        fclose(f);
    text[len] = '\0';
    unlink(path);
}

/* Each line of what was measured under the label: "Measured: sleep: 9.91x
 * on 1 CPU, ...", or nothing when the demo judged nothing. */
static void print_measured(const char *text)
{
    const char *label = _("Measured: ");
    int indent = (int)i18n_columns(label, strlen(label));
    for (const char *line = text; *line != '\0';) {
        int len = (int)strcspn(line, "\n");
        if (line == text)
            print_bold(label);
        printf("%*s%.*s\n", line == text ? 0 : indent, "", len, line);
        line += len + (line[len] == '\n');
    }
}

/* Where the demos are: beside the tour itself. */
static void find_demo_dir(const char *argv0, char *out, size_t size)
{
    const char *slash = strrchr(argv0, '/');
    if (slash != NULL) {
        snprintf(out, size, "%.*s", (int)(slash - argv0), argv0);
        return;
    }
    /* Started through PATH: ask the kernel where we are. */
    char self[4096];
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    self[n > 0 ? n : 0] = '\0';
    char *last = strrchr(self, '/');
    if (last != NULL)
        *last = '\0';
    snprintf(out, size, "%s", n > 0 ? self : ".");
}

/* The earlier stop that runs exactly this stop's command, or -1. Under
 * --quick the first stop and the versus stop are the same run. */
static long same_command_as(size_t index)
{
    for (size_t j = 0; j < index; j++) {
        const char *const *a = quick ? tour_stops[j].quick_argv : tour_stops[j].argv;
        const char *const *b = quick ? tour_stops[index].quick_argv : tour_stops[index].argv;
        size_t i = 0;
        while (a[i] != NULL && b[i] != NULL && strcmp(a[i], b[i]) == 0)
            i++;
        if (a[i] == NULL && b[i] == NULL)
            return (long)j;
    }
    return -1;
}

/* One stop: header, maybe a prediction, the run, maybe the answer. Returns
 * false when the tour should end here. */
static bool visit(size_t index, const char *demo_dir, bool pausing, int *failures)
{
    const struct stop *s = &tour_stops[index];
    const char *demo_name = s->argv[0];
    char command[1024], path[4096];
    if (snprintf(path, sizeof path, "%s/%s", demo_dir, demo_name) >= (int)sizeof path) {
        fprintf(stderr, "tour: the path to %s is too long\n", demo_name);
        return false;
    }
    const char *argv[MAX_ARGS + 8];
    build_argv(s, path, argv);
    format_command(argv, command, sizeof command);
    print_header(index, s, command, pausing);
    if (s->mpi && access(path, X_OK) != 0) { /* not built: say how, and go on */
        printf("%s\n", _("mpi_cpu was not built: Open MPI was not found. To build it:"));
        printf("  sudo apt-get install libopenmpi-dev openmpi-bin\n"
               "  meson setup --reconfigure build && meson compile -C build\n");
        return true;
    }

    long earlier = same_command_as(index);
    if (earlier >= 0) { /* the same measurement again would only cost time: point back to it */
        printf(_("The same command as stop %ld: its output is above.\n"), earlier + 1);
        if (predict) {
            print_bold(_("Answer: "));
            print_for_machine(s->answer);
        }
        return true;
    }

    char guess[256] = "";
    if (stop_signal != 0) /* arrived while we printed */
        return false;
    if (predict && pausing) { /* a guess, or s or q alone as at the other prompt */
        printf("%s", _("Your prediction? (s: skip, q: quit) > "));
        if (!read_line(guess, sizeof guess) || demo_is_choice(guess, "quit"))
            return false;
        if (demo_is_choice(guess, "skip"))
            return true;
    } else if (pausing) {
        enum choice choice = ask_to_go_on();
        if (choice != RUN)
            return choice == SKIP;
    }
    if (stop_signal != 0) /* arrived while we read the keyboard */
        return false;
    char measured_env[sizeof "ATONCE_MEASURED=" + PATH_MAX] = "";
    if (predict)
        make_measured_file(measured_env, sizeof measured_env);
    int returncode =
        run_demo(argv, details_for(s, pausing),
                 measured_env[0] != '\0' ? measured_env : "ATONCE_MEASURED=", pausing && !s->mpi);
    char measured_text[1024];
    take_measured(measured_env, measured_text, sizeof measured_text);
    if (pausing)
        forget_typed_ahead();
    if (stop_signal != 0)
        return false;
    if (returncode != 0) {
        fprintf(stderr, "tour: %s %s\n", demo_name, returncode < 0 ? "did not run to the end" : "failed");
        (*failures)++;
    }
    if (predict) {
        printf("\n%s %s\n", _("You said:"), guess[0] != '\0' ? guess : "-");
        print_measured(measured_text);
        print_bold(_("Answer: "));
        print_for_machine(s->answer);
    }
    return true;
}

int main(int argc, char **argv)
{
    struct options opts;
    int done = options_parse(argc, argv, &demo, &opts);
    if (done != OPTIONS_RUN)
        return done;
    color = opts.color;
    if (lang != NULL) /* for the tour and every demo it runs */
        i18n_use_language(lang);
    bool pausing = !no_pause && isatty(STDIN_FILENO);
    char demo_dir[4096];
    find_demo_dir(argv[0], demo_dir, sizeof demo_dir);
    machine_read(&machine); /* what it cannot read, the answers show as "?" */
    catch_stop_signals();
    prctl(PR_SET_CHILD_SUBREAPER, 1); /* see reap_orphans */

    if (pausing) { /* the machine once, for all the stops: their demos leave it out (lib/options.h) */
        char described[512];
        machine_describe(&machine, 80, described, sizeof described);
        printf("%s", described);
    }
    int failures = 0;
    size_t index = 0;
    while (index < STOP_COUNT && visit(index, demo_dir, pausing, &failures))
        index++;
    if (stop_signal != 0) {
        fprintf(stderr, "\ntour: stopped by %s%s; the demo and its children are gone\n",
                stop_signal == SIGINT ? "Ctrl-C" : "SIG",
                stop_signal == SIGINT ? "" : sigabbrev_np(stop_signal));
        return 128 + stop_signal;
    }
    printf("\n%s\n", index == STOP_COUNT ? _("End of the tour.") : _("Tour stopped."));
    options_print_note("notes/README.md");
    return failures > 0 ? 1 : 0;
}
