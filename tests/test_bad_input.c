/* The bad-input sweep: every demo, every flag its --help lists, each with
 * values that are wrong for its kind (empty, not a number, negative, zero
 * where zero is wrong, huge, nan, inf, a CPU beyond the machine, a CPU list
 * with duplicates or garbage, an unknown strategy), plus an unknown flag
 * and a flag missing its value. Each must exit 2 within 5 s, naming the flag
 * on the first line of stderr, and (with --json) print nothing on stdout.
 *
 * mpi_cpu is left out: without mpirun it stops at once with a hint (its
 * own test checks that), and under mpirun it reads flags with this same
 * code. DEMO_DIR and DEMO_NAMES come from meson. */
#include "child.h"

#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#define MAX_FLAGS 32

struct flag {
    char name[40];  /* "--tasks" */
    char value[64]; /* "N", "LIST", ... ; "" for a switch */
};

/* Values wrong for each kind of value, by the name --help gives it. */
static const char *const *bad_values(const char *flag, const char *value)
{
    static const char *const count[] = {
        "", "abc", "-1", "0", "1e12", "nan", "inf", "5x", "99999999999999999999", "100001", NULL};
    static const char *const seconds[] = {"", "abc", "-1", "0", "nan", "inf", "-inf", "1e12", NULL};
    static const char *const runs[] = {"", "abc", "-1", "0", "1e12", "1.5", NULL};
    static const char *const warmup[] = {"", "abc", "-1", "1e12", NULL};
    static const char *const strategies[] = {"", "magic", "threads,magic", ",,", NULL};
    static const char *const cpus[] = {"", "9999", "0,0", "0,x", "abc", "-1", "1-0", "0-99999", NULL};
    static const char *const fraction[] = {"", "abc", "-0.1", "1", "nan", "inf", NULL};
    static const char *const language[] = {"", "xx", NULL};
    static const char *const text[] = {"", NULL};
    if (strcmp(flag, "--strategies") == 0)
        return strategies;
    if (strcmp(flag, "--cpus") == 0)
        return cpus;
    if (strcmp(flag, "--warmup") == 0)
        return warmup;
    if (strcmp(flag, "--runs") == 0)
        return runs;
    if (strcmp(value, "N") == 0)
        return count;
    if (strcmp(value, "S") == 0)
        return seconds;
    if (strcmp(value, "F") == 0)
        return fraction;
    if (strcmp(value, "LANG") == 0)
        return language;
    return text; /* TEXT, NAME, FILE: only an empty value is wrong before running */
}

/* The flags in a demo's --help: "  -n, --tasks N   ..." or "      --json  ...". */
static size_t read_flags(const char *help, struct flag flags[MAX_FLAGS])
{
    size_t n = 0;
    for (const char *line = help; *line != '\0' && n < MAX_FLAGS;) {
        size_t len = strcspn(line, "\n");
        char text[256];
        snprintf(text, sizeof text, "%.*s", (int)len, line);
        line += len + (line[len] == '\n');
        char *dashes = strstr(text, "--");
        if (strncmp(text, "  ", 2) != 0 || dashes == NULL || dashes > text + 6)
            continue;
        struct flag *f = &flags[n];
        char after[64] = "";
        if (sscanf(dashes, "%39s %63s", f->name, after) < 1)
            continue;
        bool is_value = after[0] != '\0' && strspn(after, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") == strlen(after);
        snprintf(f->value, sizeof f->value, "%s", is_value ? after : "");
        if (strcmp(f->name, "--help") != 0 && strcmp(f->name, "--version") != 0)
            n++;
    }
    return n;
}

/* Runs the demo with argv; returns its returncode, with stdout and stderr. */
static int run(const char *const argv[], struct child_result *r)
{
    struct child_run_options options = {.capture = true, .timeout = 5.0};
    options.spawn.in.mode = CHILD_DEVNULL;
    options.spawn.new_process_group = true; /* a hung demo is stopped with all it started */
    struct child_error e = {0};
    int err = child_run(argv, &options, r, &e);
    cr_assert_neq(err, -ETIMEDOUT, "%s %s %s: still running after 5 s", argv[0], argv[1],
                  argv[2] != NULL ? argv[2] : "");
    cr_assert(err == 0 || err == -ECHILD, "%s: could not run: %s", argv[0], strerror(-err));
    return r->returncode;
}

/* One refused command line: exit 2, the flag named on the first line of
 * stderr, the usage on the next, and nothing on stdout. */
static void expect_refused(const char *const argv[], const char *flag, int *checked)
{
    struct child_result r;
    int code = run(argv, &r);
    const char *err = r.err.data != NULL ? r.err.data : "";
    char first[512];
    snprintf(first, sizeof first, "%.*s", (int)strcspn(err, "\n"), err);
    const char *shown = argv[3] != NULL ? argv[3] : "(none)";
    cr_expect_eq(code, 2, "%s %s '%s': exit %d, not 2\n%s", argv[0], flag, shown, code, err);
    cr_expect_not_null(strstr(first, flag), "%s %s '%s': the first line does not name the flag: %s", argv[0],
                       flag, shown, first);
    cr_expect_eq(strncmp(err + strlen(first), "\nUsage: ", 8), 0,
                 "%s %s '%s': no usage line after the first:\n%s", argv[0], flag, shown, err);
    cr_expect_eq(r.out.len, 0, "%s %s '%s': wrote to stdout: %s", argv[0], flag, shown, r.out.data);
    child_result_free(&r);
    (*checked)++;
}

static void sweep(const char *name)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", DEMO_DIR, name);
    const char *const help_argv[] = {path, "--help", NULL};
    struct child_result help;
    cr_assert_eq(run(help_argv, &help), 0, "%s --help", name);
    struct flag flags[MAX_FLAGS];
    size_t count = read_flags(help.out.data, flags);
    bool has_json = strstr(help.out.data, "--json") != NULL;
    cr_assert_gt(count, 0, "%s: no flags found in --help", name);
    int checked = 0;

    /* json first when the demo has it: a refused run must still print no JSON. */
    const char *json = has_json ? "--json" : "--no-color";
    for (size_t i = 0; i < count; i++) {
        if (flags[i].value[0] == '\0')
            continue;
        for (const char *const *bad = bad_values(flags[i].name, flags[i].value); *bad != NULL; bad++) {
            const char *const argv[] = {path, json, flags[i].name, *bad, NULL};
            expect_refused(argv, flags[i].name, &checked);
        }
        const char *const missing[] = {path, json, flags[i].name, NULL}; /* no value at all */
        expect_refused(missing, flags[i].name, &checked);
    }
    const char *const unknown[] = {path, json, "--bogus", NULL};
    expect_refused(unknown, "--bogus", &checked);
    cr_log_info("%s: %d bad command lines refused", name, checked);
    child_result_free(&help);
}

Test(bad_input, every_flag_of_every_demo_refuses_bad_values, .timeout = 600)
{
    char names[] = DEMO_NAMES;
    int demos = 0;
    for (char *name = strtok(names, ","); name != NULL; name = strtok(NULL, ",")) {
        if (strcmp(name, "mpi_cpu") != 0) {
            sweep(name);
            demos++;
        }
    }
    cr_assert_geq(demos, 14, "the sweep ran over only %d demos", demos);
}

/* Flags each right alone but wrong together, which a demo checks after
 * parsing: refused the same way, with the usage. */
Test(bad_input, combinations_refused_after_parsing_show_the_usage_too, .timeout = 30)
{
    int checked = 0;
    char path[512];
    snprintf(path, sizeof path, "%s/parallel_children", DEMO_DIR);
    const char *const nothing_left[] = {path, "--no-sequential", "--strategies", "sequential", NULL};
    expect_refused(nothing_left, "--no-sequential", &checked);
    snprintf(path, sizeof path, "%s/scaling", DEMO_DIR);
    const char *const two_series[] = {path, "--strategies", "pool,openmp",
                                      NULL}; /* without OpenMP: unknown */
    expect_refused(two_series, "--strategies", &checked);
}

/* The estimate in a refusal, "about 2.2 h", in seconds (0: none found). */
static double stated_estimate(const char *line)
{
    const char *about = strstr(line, "about ");
    double value = 0.0;
    char unit[8] = "";
    if (about == NULL || sscanf(about, "about %lf %7[a-z]", &value, unit) != 2)
        return 0.0;
    return strcmp(unit, "h") == 0 ? 3600.0 * value : strcmp(unit, "min") == 0 ? 60.0 * value : value;
}

/* A run that its own estimate says would take more than a few minutes is
 * refused before it starts: exit 2 at once, one line on stderr with the
 * estimate and the flag that forces it, nothing on stdout. One command
 * line per harness demo (mpi_cpu's is in test_mpi.c), with the sweep. */
Test(bad_input, a_too_long_run_is_refused_with_its_estimate, .timeout = 120)
{
    static const struct {
        const char *argv[9];
        double low, high; /* wide bounds on the estimate, seconds */
    } long_runs[] = {
        {{"sleep", "--seconds", "600", NULL}, 3600, 36000},
        {{"cpu", "--tasks", "10000", "--seconds", "10", "--strategies", "sequential", NULL}, 36000, 800000},
        {{"versus", "--seconds", "100", NULL}, 600, 36000},
        {{"gil", "--seconds", "100", NULL}, 600, 36000},
        /* 10,000 sleeps of 0.2 s one after another, 4 times: about 2.2 h */
        {{"event_loop", "--tasks", "10000", "--strategies", "sequential,event_loop", NULL}, 3600, 36000},
        {{"event_loop", "--tasks", "10,100", "--seconds", "600", NULL}, 1800, 36000}, /* a sweep */
        {{"scaling", "--seconds", "600", NULL}, 1800, 3600000},
        {{"parallel_children", "--seconds", "600", NULL}, 3600, 36000},
    };
    for (size_t i = 0; i < sizeof long_runs / sizeof long_runs[0]; i++) {
        char path[512], shown[256] = "";
        snprintf(path, sizeof path, "%s/%s", DEMO_DIR, long_runs[i].argv[0]);
        const char *argv[10] = {path};
        for (size_t k = 1; long_runs[i].argv[k] != NULL; k++) {
            argv[k] = long_runs[i].argv[k];
            snprintf(shown + strlen(shown), sizeof shown - strlen(shown), " %s", argv[k]);
        }
        struct child_result r;
        int code = run(argv, &r); /* fails if still running after 5 s */
        const char *err = r.err.data != NULL ? r.err.data : "";
        cr_expect_eq(code, 2, "%s%s: exit %d, not 2\n%s", long_runs[i].argv[0], shown, code, err);
        cr_expect_eq(r.out.len, 0, "%s%s: wrote to stdout: %s", long_runs[i].argv[0], shown, r.out.data);
        cr_expect(strlen(err) > 0 && strchr(err, '\n') == &err[strlen(err) - 1],
                  "%s%s: not one line on stderr:\n%s", long_runs[i].argv[0], shown, err);
        cr_expect_not_null(strstr(err, "--force"), "%s%s: the refusal does not name --force: %s",
                           long_runs[i].argv[0], shown, err);
        double estimate = stated_estimate(err);
        cr_expect(estimate >= long_runs[i].low && estimate <= long_runs[i].high,
                  "%s%s: estimate %g s, not in %g-%g s: %s", long_runs[i].argv[0], shown, estimate,
                  long_runs[i].low, long_runs[i].high, err);
        child_result_free(&r);
    }
}

/* --force runs what the estimate would refuse: still running after 1 s. */
Test(bad_input, force_lets_a_long_run_start, .timeout = 30)
{
    char path[512];
    snprintf(path, sizeof path, "%s/sleep", DEMO_DIR);
    const char *const argv[] = {path,         "--tasks", "2",        "--seconds", "200",
                                "--runs",     "1",       "--warmup", "0",         "--strategies",
                                "sequential", "--force", NULL};
    struct child_run_options options = {.capture = true, .timeout = 1.0};
    options.spawn.in.mode = CHILD_DEVNULL;
    options.spawn.new_process_group = true; /* stopped at the timeout, with anything it started */
    struct child_result r;
    struct child_error e = {0};
    int err = child_run(argv, &options, &r, &e);
    cr_expect_eq(err, -ETIMEDOUT, "sleep --force: ended within 1 s (exit %d): %s", r.returncode,
                 r.err.data != NULL ? r.err.data : "");
    child_result_free(&r);
}
