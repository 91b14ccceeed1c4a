/* The tour: it runs to the end without waiting when no one is at the
 * keyboard, names every demo, names notes that exist (in English and in
 * Korean), follows the order of notes/README.md, and Ctrl-C ends it with
 * 130 and nothing left running. Paths come from meson: TOUR (the program),
 * SOURCE_ROOT (where notes/ is) and DEMO_NAMES ("sleep,cpu,...").
 *
 * Each run of the tour with --quick takes about 14 s of demos. */
#include "child.h"
#include "orphans.h"
#include "stopwatch.h"

#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

/* Runs the tour with these flags; stdin is /dev/null, or, with
 * keep_stdin_open, a pipe that stays open and never gets a line (a tour
 * that waited for Enter would hang there). Returns the returncode. */
static int run_tour(const char *const flags[], bool keep_stdin_open, struct child_buffer *out)
{
    const char *argv[8] = {TOUR};
    for (size_t i = 0; flags[i] != NULL; i++)
        argv[i + 1] = flags[i];
    struct child_options options = {
        .in.mode = keep_stdin_open ? CHILD_PIPE : CHILD_DEVNULL,
        .out.mode = CHILD_PIPE,
        .cwd = SOURCE_ROOT,
    };
    struct child c;
    struct child_error e = {0};
    cr_assert_eq(child_spawn(&c, argv, &options, &e), 0, "spawn tour: %s", strerror(e.error));
    struct child_io io = {.out = out};
    int in = c.in;
    c.in = -1; /* communicate would close stdin at once: keep it open, unwritten */
    cr_assert_eq(child_communicate(&c, &io, 100.0, &e), 0, "the tour did not finish in 100 s");
    int code = child_returncode(&c);
    child_close(&c);
    if (in >= 0)
        close(in);
    return code;
}

/* The lines that name a note: the tour's header for each stop ("note:
 * notes/01-sleep.md", in Korean "노트: notes/ko/01-sleep.md"), and the
 * last line of each demo and of the tour ("Read alongside: ..."). */
static const char *const stop_headers[] = {"note: ", "노트: ", NULL};
static const char *const every_note_line[] = {"note: ", "노트: ", "Read alongside: ", "함께 읽기: ", NULL};

/* The note paths on the lines that start with one of `labels`, in order. */
static size_t notes_named(const char *output, const char *const labels[], char names[][128], size_t max)
{
    size_t n = 0;
    for (const char *line = output; *line != '\0' && n < max;) {
        size_t len = strcspn(line, "\n");
        for (size_t i = 0; labels[i] != NULL; i++)
            if (strncmp(line, labels[i], strlen(labels[i])) == 0)
                snprintf(names[n++], 128, "%.*s", (int)(len - strlen(labels[i])), line + strlen(labels[i]));
        line += len + (line[len] == '\n');
    }
    return n;
}

static bool exists_in_source(const char *relative)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", SOURCE_ROOT, relative);
    return access(path, R_OK) == 0;
}

Test(tour, runs_every_demo_without_waiting_for_a_closed_stdin, .timeout = 120)
{
    struct child_buffer out = {0};
    const char *const flags[] = {"--no-pause", "--quick", NULL};
    cr_assert_eq(run_tour(flags, false, &out), 0, "%s", out.data);
    cr_expect_not_null(strstr(out.data, "End of the tour."));
    /* under --quick the versus stop (4) runs the first stop's command: it points back instead */
    cr_expect_not_null(strstr(out.data, "The same command as stop 1: its output is above."), "%s", out.data);

    char names[] = DEMO_NAMES;
    for (char *name = strtok(names, ","); name != NULL; name = strtok(NULL, ",")) {
        char path_end[128]; /* "/sleep ": the demo's path, then its flags */
        snprintf(path_end, sizeof path_end, "/%s ", name);
        bool named = false;
        for (const char *p = strstr(out.data, "command: "); p != NULL; p = strstr(p + 1, "command: ")) {
            char line[512];
            snprintf(line, sizeof line, "%.*s ", (int)strcspn(p, "\n"), p);
            named |= strstr(line, path_end) != NULL;
        }
        cr_expect(named, "the tour never runs %s", name);
    }
    char notes[64][128];
    size_t count = notes_named(out.data, every_note_line, notes, 64);
    cr_expect_gt(count, 0);
    for (size_t i = 0; i < count; i++)
        cr_expect(exists_in_source(notes[i]), "the tour names a missing note: %s", notes[i]);
    child_buffer_free(&out);
}

Test(tour, does_not_wait_when_stdin_is_not_a_terminal_and_names_korean_notes, .timeout = 120)
{
    struct child_buffer out = {0};
    const char *const flags[] = {"--quick", "--lang", "ko", NULL}; /* no --no-pause */
    cr_assert_eq(run_tour(flags, true, &out), 0, "%s", out.data);
    char notes[64][128];
    size_t count = notes_named(out.data, every_note_line, notes, 64);
    cr_expect_gt(count, 0);
    for (size_t i = 0; i < count; i++) {
        cr_expect_eq(strncmp(notes[i], "notes/ko/", 9), 0, "not a Korean note: %s", notes[i]);
        cr_expect(exists_in_source(notes[i]), "the tour names a missing note: %s", notes[i]);
    }
    child_buffer_free(&out);
}

/* Runs `tour --predict --quick` at a pseudo-terminal with `typed` typed
 * ahead; returns its stdout, and how many times it asked for a prediction. */
static size_t predict_with_typed(const char *typed, struct child_result *r)
{
    int terminal = posix_openpt(O_RDWR | O_NOCTTY);
    cr_assert_geq(terminal, 0, "posix_openpt: %s", strerror(errno));
    cr_assert_eq(grantpt(terminal), 0);
    cr_assert_eq(unlockpt(terminal), 0);
    int keyboard = open(ptsname(terminal), O_RDWR | O_NOCTTY);
    cr_assert_geq(keyboard, 0, "open %s: %s", ptsname(terminal), strerror(errno));
    cr_assert_eq(write(terminal, typed, strlen(typed)), (ssize_t)strlen(typed));

    const char *const argv[] = {TOUR, "--predict", "--quick", NULL};
    struct child_run_options options = {.capture = true, .timeout = 30.0};
    options.spawn.in.mode = CHILD_FD;
    options.spawn.in.fd = keyboard;
    options.spawn.cwd = SOURCE_ROOT;
    struct child_error e = {0};
    cr_assert_eq(child_run(argv, &options, r, &e), 0, "run tour: %s", strerror(e.error));
    close(keyboard);
    close(terminal);
    cr_expect_eq(r->returncode, 0, "%s", r->err.data);
    cr_expect_not_null(strstr(r->out.data, "Tour stopped."), "%s", r->out.data);
    size_t prompts = 0;
    for (const char *p = strstr(r->out.data, "Your prediction?"); p != NULL;
         p = strstr(p + 1, "Your prediction?"))
        prompts++;
    return prompts;
}

/* At a terminal with --predict, "s" or "q" alone at the prediction prompt
 * (either case, spaces allowed) skips or quits, as at the Enter prompt. */
Test(tour, s_and_q_at_the_prediction_prompt_skip_and_quit, .timeout = 60)
{
    struct child_result r;
    cr_expect_eq(predict_with_typed(" S\nq \n", &r), 2, "skipped stop 1, quit at stop 2:\n%s", r.out.data);
    cr_expect_null(strstr(r.out.data, "median of"), "a demo ran:\n%s", r.out.data);
    child_result_free(&r);
}

/* notes/README.md is the lesson plan: the tour visits its notes in its order. */
Test(tour, follows_the_lesson_plan, .timeout = 120)
{
    struct child_buffer out = {0};
    const char *const flags[] = {"--no-pause", "--quick", NULL};
    cr_assert_eq(run_tour(flags, false, &out), 0);
    char notes[32][128];
    size_t count = notes_named(out.data, stop_headers, notes, 32);

    char path[512];
    snprintf(path, sizeof path, "%s/notes/README.md", SOURCE_ROOT);
    FILE *f = fopen(path, "r");
    cr_assert_not_null(f);
    char line[2048];
    size_t row = 0;
    while (fgets(line, sizeof line, f) != NULL) {
        /* A row of the plan: "| 3 | [03-versus.md](03-versus.md) | ..." */
        const char *link = strstr(line, "](");
        if (line[0] != '|' || link == NULL)
            continue;
        char note[128];
        snprintf(note, sizeof note, "notes/%.*s", (int)strcspn(link + 2, ")"), link + 2);
        cr_assert_lt(row, count, "the plan has more notes than the tour: %s", note);
        cr_expect_str_eq(notes[row], note, "stop %zu", row + 1);
        row++;
    }
    fclose(f);
    cr_expect_eq(row, count, "the tour has %zu stops, the plan %zu rows", count, row);
    child_buffer_free(&out);
}

/* The first child of `pid` (from /proc/PID/task/PID/children), or 0. */
static pid_t first_child(pid_t pid)
{
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/task/%d/children", (int)pid, (int)pid);
    FILE *f = fopen(path, "r");
    int child = 0;
    if (f != NULL) {
        if (fscanf(f, "%d", &child) != 1)
            child = 0;
        fclose(f);
    }
    return child;
}

/* Starts the tour, waits until its demo has started children of its own
 * (the processes rows of the first demo), sends `sig` to the tour alone,
 * and checks: it exits 128 + sig within 1.5 s and leaves nothing alive. As a
 * subreaper, this test inherits anything left behind. */
static void stop_tour_mid_demo(int sig)
{
    orphans_adopt();
    const char *const argv[] = {TOUR, "--no-pause", NULL}; /* full settings: demos run for a while */
    struct child_options options = {.in.mode = CHILD_DEVNULL, .out.mode = CHILD_DEVNULL, .cwd = SOURCE_ROOT};
    struct child c;
    struct child_error e = {0};
    cr_assert_eq(child_spawn(&c, argv, &options, &e), 0);
    pid_t demo = 0, grandchild = 0;
    for (int tries = 0; grandchild == 0 && tries < 10000; tries++) { /* up to 10 s */
        usleep(1000);
        demo = first_child(c.pid);
        grandchild = demo != 0 ? first_child(demo) : 0;
    }
    cr_assert_neq(grandchild, 0, "the demo never started a child of its own");
    cr_assert_eq(kill(c.pid, sig), 0);
    cr_assert_eq(child_wait(&c, 1.5, &e), 0, "the tour still runs 1.5 s after the signal");
    cr_expect_eq(child_returncode(&c), 128 + sig);
    child_close(&c);

    orphans_expect_none_alive("the tour");
    cr_expect_neq(kill(demo, 0), 0, "the demo (pid %d) is still there", (int)demo);
    cr_expect_neq(kill(-demo, 0), 0, "the demo's process group is still there");
}

Test(tour, ctrl_c_stops_the_demo_and_its_children_and_exits_130, .timeout = 60)
{
    stop_tour_mid_demo(SIGINT);
}

Test(tour, sigterm_stops_the_demo_and_its_children_and_exits_143, .timeout = 60)
{
    stop_tour_mid_demo(SIGTERM);
}

/* ---- at a terminal that is the tour's own, as when a shell starts it ---- */

/* The tour with a new pseudo-terminal as its controlling terminal, in its
 * foreground group, under `stty tostop`: there a process outside the
 * foreground group that writes to the terminal is stopped (SIGTTOU). */
#define RUN_PROMPT     "Enter: run it"
#define PREDICT_PROMPT "Your prediction?"
#define DETAILS_PROMPT "Enter: show the timeline and the legend"

struct at_terminal {
    pid_t tour;
    int keyboard; /* the pty's other end: we type into it and read the screen from it */
    struct child_buffer screen;
};

static void start_at_terminal(struct at_terminal *t, const char *const argv[], const char *typed)
{
    orphans_adopt();
    *t = (struct at_terminal){0};
    t->tour = forkpty(&t->keyboard, NULL, NULL, NULL);
    cr_assert_geq(t->tour, 0, "forkpty: %s", strerror(errno));
    if (t->tour == 0) { /* the child: `stty tostop`, then the tour */
        struct termios settings;
        if (tcgetattr(STDIN_FILENO, &settings) != 0)
            _exit(126);
        settings.c_lflag |= TOSTOP;
        if (tcsetattr(STDIN_FILENO, TCSANOW, &settings) != 0 || chdir(SOURCE_ROOT) != 0)
            _exit(126);
        setenv("NO_COLOR", "1", 1);
        execv(TOUR, (char *const *)argv);
        _exit(127);
    }
    cr_assert_eq(write(t->keyboard, typed, strlen(typed)), (ssize_t)strlen(typed));
}

/* How many times `text` is on the screen so far. */
static size_t times_shown(const struct at_terminal *t, const char *text)
{
    size_t times = 0;
    for (const char *p = t->screen.data != NULL ? strstr(t->screen.data, text) : NULL; p != NULL;
         p = strstr(p + 1, text))
        times++;
    return times;
}

/* Reads the screen until `text` has been shown `times` times (text NULL:
 * never), the tour's side of the terminal closes, or `seconds` pass.
 * Returns whether it closed. */
static bool read_screen_until(struct at_terminal *t, const char *text, size_t times, double seconds)
{
    double give_up = stopwatch_now() + seconds;
    char chunk[4096];
    while (stopwatch_now() < give_up && (text == NULL || times_shown(t, text) < times)) {
        struct pollfd p = {.fd = t->keyboard, .events = POLLIN};
        if (poll(&p, 1, 100) <= 0)
            continue;
        ssize_t n = read(t->keyboard, chunk, sizeof chunk);
        if (n <= 0) /* EIO: no one has the terminal open any more */
            return true;
        char *grown = realloc(t->screen.data, t->screen.len + (size_t)n + 1);
        cr_assert_not_null(grown);
        memcpy(grown + t->screen.len, chunk, (size_t)n);
        t->screen.data = grown;
        t->screen.len += (size_t)n;
        t->screen.data[t->screen.len] = '\0';
    }
    return false;
}

/* Reads the screen until the tour's side of the terminal closes or
 * `seconds` pass. Returns whether it closed. */
static bool read_screen(struct at_terminal *t, double seconds)
{
    return read_screen_until(t, NULL, 0, seconds);
}

/* Reads the screen until the tour closes the terminal, `seconds` at most,
 * expecting it to; returns the whole screen. */
static const char *screen_at_end(struct at_terminal *t, double seconds)
{
    bool closed = read_screen(t, seconds);
    const char *screen = t->screen.data != NULL ? t->screen.data : "";
    cr_expect(closed, "the tour still runs after %g s; the screen:\n%s", seconds, screen);
    return screen;
}

/* Types `keys` once the screen shows `text` for the `times`th time. */
static void type_at(struct at_terminal *t, const char *text, size_t times, const char *keys)
{
    read_screen_until(t, text, times, 20.0);
    cr_assert_geq(times_shown(t, text), times, "'%s' was shown %zu times, not %zu:\n%s", text,
                  times_shown(t, text), times, t->screen.data != NULL ? t->screen.data : "");
    cr_assert_eq(write(t->keyboard, keys, strlen(keys)), (ssize_t)strlen(keys));
}

/* Waits up to 5 s for the tour (it may close the terminal a moment before
 * it has exited), then kills it. Returns its exit status, or -1 when it
 * had to be killed. Nothing may be left alive. */
static int finish_at_terminal(struct at_terminal *t)
{
    int status = 0, code = -1;
    pid_t done = 0;
    for (int tries = 0; done == 0 && tries < 500; tries++) {
        done = waitpid(t->tour, &status, WNOHANG);
        if (done == 0)
            usleep(10 * 1000);
    }
    if (done == 0) {
        kill(t->tour, SIGKILL); /* its demos get SIGHUP when it, the session leader, dies */
        waitpid(t->tour, &status, 0);
    } else if (WIFEXITED(status)) {
        code = WEXITSTATUS(status);
    }
    close(t->keyboard);
    orphans_expect_none_alive("the tour");
    return code;
}

/* `stty tostop` used to hang the tour: each demo runs in a process group of
 * its own, which was not the terminal's foreground group, so its first line
 * stopped it and the screen stayed blank. Skip stops 1-3 (stop 4 is stop
 * 1's command again), run run_capture, quit at the next prompt. */
Test(tour, a_demo_writes_to_the_terminal_under_stty_tostop, .timeout = 60)
{
    struct at_terminal t;
    const char *const argv[] = {TOUR, "--quick", NULL};
    start_at_terminal(&t, argv, "s\ns\ns\n\n");
    type_at(&t, RUN_PROMPT, 5, "q\n"); /* keys typed during a demo are forgotten: type after it */
    const char *screen = screen_at_end(&t, 20.0);
    cr_expect_not_null(strstr(screen, "parent: captured 30 bytes of stdout"), "%s", screen);
    cr_expect_not_null(strstr(screen, "Tour stopped."), "%s", screen);
    cr_expect_eq(finish_at_terminal(&t), 0, "%s", screen);
    child_buffer_free(&t.screen);
}

/* The process state letter of `pid` ('S', 'T' for stopped, ...), or 0. */
static char state_of(pid_t pid)
{
    char path[64], stat[512] = "";
    snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
    FILE *f = fopen(path, "r");
    if (f == NULL)
        return 0;
    size_t n = fread(stat, 1, sizeof stat - 1, f);
    fclose(f);
    stat[n] = '\0';
    const char *after_name = strrchr(stat, ')');
    return after_name != NULL ? after_name[2] : 0;
}

/* Keys typed at the terminal while a demo runs: Ctrl-Z stops nothing (the
 * tour never stops, so the demo must not either), Ctrl-C ends the demo and
 * the tour with 130. The demo is stop 2 at full settings: 10 s of sleeps. */
Test(tour, ctrl_z_and_ctrl_c_typed_at_the_terminal_during_a_demo, .timeout = 60)
{
    struct at_terminal t;
    const char *const argv[] = {TOUR, NULL};
    start_at_terminal(&t, argv, "s\n\n");
    pid_t demo = 0;
    for (int tries = 0; demo == 0 && tries < 10000; tries++) { /* up to 10 s */
        usleep(1000);
        demo = first_child(t.tour);
    }
    cr_assert_neq(demo, 0, "the demo never started");
    read_screen(&t, 0.3);
    cr_assert_eq(write(t.keyboard, "\x1a", 1), 1); /* Ctrl-Z */
    read_screen(&t, 0.3);
    for (int tries = 0; state_of(demo) == 'T' && tries < 30;
         tries++) /* resumed within 3 s, on a busy machine too */
        read_screen(&t, 0.1);
    cr_expect_neq(state_of(demo), 'T', "Ctrl-Z left the demo stopped");
    cr_assert_eq(write(t.keyboard, "\x03", 1), 1); /* Ctrl-C */
    const char *screen = screen_at_end(&t, 5.0);   /* after Ctrl-C */
    cr_expect_not_null(strstr(screen, "stopped by Ctrl-C"), "%s", screen);
    cr_expect_eq(finish_at_terminal(&t), 130, "%s", screen);
    child_buffer_free(&t.screen);
}

/* A guess that only starts with s is a guess: the demo runs, and the guess
 * is shown beside what was measured and the answer. The file the demo
 * told the tour its measurement in is gone. */
Test(tour, a_guess_starting_with_s_is_a_guess, .timeout = 60)
{
    char tmp[] = "/tmp/atonce-test-XXXXXX";
    cr_assert_not_null(mkdtemp(tmp), "mkdtemp: %s", strerror(errno));
    setenv("TMPDIR", tmp, 1); /* for the tour, started next */
    struct at_terminal t;
    const char *const argv[] = {TOUR, "--predict", "--quick", NULL};
    start_at_terminal(&t, argv, "slower\n");
    unsetenv("TMPDIR");
    type_at(&t, DETAILS_PROMPT, 1, "s\n");
    type_at(&t, PREDICT_PROMPT, 2, "q\n");
    const char *screen = screen_at_end(&t, 20.0);
    cr_expect_not_null(strstr(screen, "wall s"), "stop 1's demo did not run:\n%s", screen);
    const char *said = strstr(screen, "You said: slower"), *measured = strstr(screen, "Measured: sleep: ");
    const char *answer = strstr(screen, "Answer: ");
    cr_expect(said != NULL && measured > said && answer > measured, "guess, measured, answer:\n%s", screen);
    cr_expect_not_null(strstr(screen, "\n          cpu: "), "cpu's measurement under sleep's:\n%s", screen);
    cr_expect_eq(finish_at_terminal(&t), 0, "%s", screen);
    cr_expect_eq(rmdir(tmp), 0, "a file was left in %s: %s", tmp, strerror(errno));
    child_buffer_free(&t.screen);
}

/* Enter pressed twice while stop 1's demo measures is forgotten: its own
 * prompt for the timeline, then the tour's next prompt, wait (it used to
 * run stops 2 and 3 unseen). There " Q " quits. */
Test(tour, keys_typed_during_a_demo_do_not_answer_the_next_prompt, .timeout = 60)
{
    struct at_terminal t;
    const char *const argv[] = {TOUR, "--quick", NULL};
    start_at_terminal(&t, argv, "\n");
    pid_t demo = 0;
    for (int tries = 0; demo == 0 && tries < 10000; tries++) { /* up to 10 s */
        usleep(1000);
        demo = first_child(t.tour);
    }
    cr_assert_neq(demo, 0, "stop 1's demo never started");
    cr_assert_eq(write(t.keyboard, "\n\n", 2), 2);
    type_at(&t, DETAILS_PROMPT, 1, ""); /* the demo's own prompt waits too */
    read_screen(&t, 1.0);
    cr_expect_eq(times_shown(&t, "timeline of"), 0, "the timeline came unasked:\n%s", t.screen.data);
    cr_assert_eq(write(t.keyboard, "\n", 1), 1);
    type_at(&t, RUN_PROMPT, 2, ""); /* stop 2's prompt */
    read_screen(&t, 1.0);
    const char *screen = t.screen.data != NULL ? t.screen.data : "";
    cr_expect_eq(first_child(t.tour), 0, "a demo runs without a key pressed at its prompt:\n%s", screen);
    cr_expect_eq(times_shown(&t, RUN_PROMPT), 2, "%s", screen);
    cr_assert_eq(write(t.keyboard, " Q \n", 4), 4);
    screen = screen_at_end(&t, 10.0);
    cr_expect_not_null(strstr(screen, "Tour stopped."), "%s", screen);
    cr_expect_eq(finish_at_terminal(&t), 0, "%s", screen);
    child_buffer_free(&t.screen);
}

/* At the keyboard a demo shows its tables and verdicts first, then asks
 * before its timeline and legend: Enter shows them (stop 1), s skips them
 * (stop 2). Run alone, or by a tour that does not pause, it shows all. */
Test(tour, the_timeline_and_legend_come_when_asked_for, .timeout = 90)
{
    struct at_terminal t;
    const char *const argv[] = {TOUR, "--quick", NULL};
    start_at_terminal(&t, argv, "\n");
    type_at(&t, DETAILS_PROMPT, 1, "\n");
    const char *screen = t.screen.data;
    const char *prompt = strstr(screen, DETAILS_PROMPT), *verdict = strstr(screen, "\ncpu: ");
    cr_expect(verdict != NULL && verdict < prompt, "no verdict before the prompt:\n%s", screen);
    cr_expect_null(strstr(screen, "timeline of"), "the timeline came unasked:\n%s", screen);
    type_at(&t, RUN_PROMPT, 2, "\n");      /* stop 2 */
    type_at(&t, DETAILS_PROMPT, 2, "s\n"); /* its timeline is skipped */
    type_at(&t, RUN_PROMPT, 3, "q\n");
    screen = screen_at_end(&t, 20.0);
    const char *stop_2 = strstr(screen, "[2/");
    cr_assert_not_null(stop_2, "%s", screen);
    const char *timeline = strstr(screen, "timeline of");
    cr_expect(timeline != NULL && timeline < stop_2, "stop 1's timeline did not come after Enter:\n%s",
              screen);
    cr_expect_null(strstr(stop_2, "timeline of"), "stop 2's timeline came after s:\n%s", screen);
    cr_expect_eq(finish_at_terminal(&t), 0, "%s", screen);
    child_buffer_free(&t.screen);
}

/* At a terminal that cannot show colour (TERM=dumb, as in Emacs's shell),
 * the tour prints no escape sequence: its first stop's title, then q at
 * the prompt ends it. */
Test(tour, a_dumb_terminal_gets_no_escape_sequences, .timeout = 30)
{
    int terminal = posix_openpt(O_RDWR | O_NOCTTY);
    cr_assert_geq(terminal, 0, "posix_openpt: %s", strerror(errno));
    cr_assert_eq(grantpt(terminal), 0);
    cr_assert_eq(unlockpt(terminal), 0);
    int screen = open(ptsname(terminal), O_RDWR | O_NOCTTY);
    cr_assert_geq(screen, 0, "open %s: %s", ptsname(terminal), strerror(errno));
    cr_assert_eq(write(terminal, "q\n", 2), 2);

    const char *const argv[] = {TOUR, "--quick", NULL};
    const char *const env[] = {"TERM=dumb", "NO_COLOR=", NULL}; /* an empty NO_COLOR asks for nothing */
    struct child_options options = {.in = {CHILD_FD, screen}, .out = {CHILD_FD, screen}, .env_set = env};
    struct child c;
    struct child_error e = {0};
    cr_assert_eq(child_spawn(&c, argv, &options, &e), 0, "spawn tour: %s", strerror(e.error));
    cr_assert_eq(child_wait(&c, 20.0, &e), 0, "the tour did not quit at q");
    cr_expect_eq(child_returncode(&c), 0);
    child_close(&c);
    close(screen);

    char shown[8192];
    size_t len = 0;
    ssize_t got;
    fcntl(terminal, F_SETFL, O_NONBLOCK);
    while (len + 1 < sizeof shown && (got = read(terminal, shown + len, sizeof shown - 1 - len)) > 0)
        len += (size_t)got;
    shown[len] = '\0';
    close(terminal);
    cr_assert_not_null(strstr(shown, "Enter: run it"), "the tour did not reach its prompt:\n%s", shown);
    cr_expect_null(strchr(shown, '\033'), "an escape sequence at TERM=dumb:\n%s", shown);
}

/* Answers every prompt until the tour ends: Enter to run each demo, s to
 * skip each timeline and legend. */
static void answer_every_prompt(struct at_terminal *t, double seconds)
{
    size_t runs = 0, details = 0;
    double give_up = stopwatch_now() + seconds;
    while (stopwatch_now() < give_up && !read_screen_until(t, NULL, 0, 0.2)) {
        if (times_shown(t, RUN_PROMPT) > runs) {
            runs++;
            cr_assert_eq(write(t->keyboard, "\n", 1), 1);
        }
        if (times_shown(t, DETAILS_PROMPT) > details) {
            details++;
            cr_assert_eq(write(t->keyboard, "s\n", 2), 2);
        }
    }
}

/* The rows a stretch of the screen takes on the terminal: what is left of
 * each line once a progress line has been rubbed out ("\r\033[K"). A
 * warning or a set-aside line is not counted: a busy machine adds them
 * (one line each under the tour, lib/report.c). */
static size_t rows_without_warnings(const char *from, const char *to)
{
    size_t rows = 0;
    bool set_aside = false;
    for (const char *line = from; line < to;) {
        size_t len = strcspn(line, "\n");
        const char *end = line + len, *shown = line;
        for (const char *p = line; p < end; p++)
            if (*p == '\r' && p + 1 < end) /* what follows the last carriage return is what shows */
                shown = p + 1;
        if (strncmp(shown, "\033[K", 3) == 0)
            shown += 3;
        bool warning = strncmp(shown, "warning:", 8) == 0;
        set_aside = strncmp(shown, "set aside", 9) == 0 || (set_aside && strncmp(shown, "  ", 2) == 0);
        if (!warning && !set_aside)
            rows++;
        line = end + (*end == '\n');
    }
    return rows;
}

/* A projector shows 40 lines: from each stop's title, its question, table
 * and verdict, up to the question about the timeline, fit there (on a
 * quiet machine the longest, stop 1, takes 36; the machine's lines the
 * tour prints once, above stop 1, may scroll away). A busy machine adds a
 * line per warning and per set-aside line, which are not counted, and may
 * wrap a verdict's cause onto one more line (which is). A stop without
 * that question fits whole. On more CPUs only scaling grows: up to 15
 * worker rows (tests/test_scaling_report.c), 11 more than its 20 here. */
Test(tour, every_stop_fits_a_40_line_screen, .timeout = 120)
{
    struct at_terminal t;
    const char *const argv[] = {TOUR, "--quick", NULL};
    start_at_terminal(&t, argv, "");
    answer_every_prompt(&t, 100.0);
    const char *screen = screen_at_end(&t, 10.0);
    int stop = 1, stops = 0;
    const char *first = strstr(screen, "\n[1/");
    cr_assert(first != NULL && sscanf(first, "\n[1/%d]", &stops) == 1, "no first stop:\n%s", screen);
    for (;; stop++) {
        char title[16], next[16];
        snprintf(title, sizeof title, "\n[%d/", stop);
        snprintf(next, sizeof next, "\n[%d/", stop + 1);
        const char *from = strstr(screen, title);
        if (from == NULL)
            break;
        const char *to = strstr(from, DETAILS_PROMPT), *after = strstr(from, next);
        if (after == NULL)
            after = from + strlen(from);
        if (to == NULL || to > after)
            to = after;
        size_t rows = rows_without_warnings(from + 1, to) + (to != after); /* and the prompt's */
        cr_expect_leq(rows, 40, "stop %d takes %zu rows without its warnings:\n%.*s", stop, rows,
                      (int)(to - from), from);
    }
    cr_expect_eq(stop - 1, stops, "%d of %d stops shown:\n%s", stop - 1, stops, screen);
    cr_expect_eq(finish_at_terminal(&t), 0, "%s", screen);
    child_buffer_free(&t.screen);
}
