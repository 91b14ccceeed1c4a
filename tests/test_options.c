/* options: every bad flag or value is refused with exit status 2 and one
 * line naming the flag (then the usage) on stderr; good values round-trip
 * into struct options; --help and --version print to stdout and return 0. */
#include "demo.h"
#include "options.h"

#include <criterion/criterion.h>
#include <criterion/redirect.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const struct demo_info demo = {
    .name = "t",
    .summary = "a demo for the tests",
    .note = "notes/x.md",
    .default_tasks = 10,
    .default_seconds = 1.0,
    .quick_tasks = 10,
    .quick_seconds = 0.1,
    .default_strategies = "sequential,threads,processes",
    .harness = true,
};

#define MAX_ARGS 16

/* Parses "t" followed by `args` (NULL-terminated) from a writable argv,
 * as getopt may permute it. */
static int parse_args(const char *const *args, struct options *opts)
{
    static char storage[MAX_ARGS][128];
    char *argv[MAX_ARGS + 1];
    int argc = 0;
    snprintf(storage[argc], sizeof storage[argc], "t");
    argv[argc] = storage[argc];
    argc++;
    for (; args[argc - 1] != NULL; argc++) {
        cr_assert_lt(argc, MAX_ARGS, "too many arguments for the test");
        cr_assert_lt(strlen(args[argc - 1]), sizeof storage[argc]);
        snprintf(storage[argc], sizeof storage[argc], "%s", args[argc - 1]);
        argv[argc] = storage[argc];
    }
    argv[argc] = NULL;
    return options_parse(argc, argv, &demo, opts);
}

#define PARSE(opts, ...) parse_args((const char *const[]){__VA_ARGS__, NULL}, (opts))

/* Everything written to the redirected stream `f` so far. */
static void read_redirected(FILE *f, char *buf, size_t size)
{
    size_t used = 0, got;
    while (used + 1 < size && (got = fread(buf + used, 1, size - 1 - used, f)) > 0)
        used += got;
    buf[used] = '\0';
}

static void read_stderr(char *buf, size_t size)
{
    fflush(stderr);
    read_redirected(cr_get_redirected_stderr(), buf, size);
}

static void read_stdout(char *buf, size_t size)
{
    fflush(stdout);
    read_redirected(cr_get_redirected_stdout(), buf, size);
}

static size_t count_lines(const char *text)
{
    size_t n = 0;
    for (; *text != '\0'; text++)
        n += *text == '\n';
    return n;
}

/* The call returned 2 and stderr holds "t: <flag>: ..." then the usage. */
static void assert_refused(int status, const char *flag)
{
    char err[4096];
    read_stderr(err, sizeof err);
    cr_assert_eq(status, 2, "expected exit status 2 for %s, got %d; stderr:\n%s", flag, status, err);
    char prefix[64];
    snprintf(prefix, sizeof prefix, "t: %s: ", flag);
    cr_assert_eq(strncmp(err, prefix, strlen(prefix)), 0, "expected the line to start with '%s':\n%s", prefix,
                 err);
    char *usage = strstr(err, "\nUsage: t ");
    cr_assert_not_null(usage, "no usage line after the message:\n%s", err);
    cr_assert_eq(strchr(err, '\n'), usage, "the message should be one line:\n%s", err);
    for (const char *line = usage + 1; *line != '\0'; line += strcspn(line, "\n") + 1)
        cr_assert_leq(strcspn(line, "\n"), 80, "a usage line wider than 80 columns:\n%s", err);
    cr_assert_eq(count_lines(err), 4, "expected the message and the three-line usage:\n%s", err);
}

/* The message line, then the usage: check the problem is named too. */
static void assert_refused_saying(int status, const char *flag, const char *problem)
{
    char err[4096];
    read_stderr(err, sizeof err);
    cr_assert_eq(status, 2, "expected exit status 2 for %s, got %d; stderr:\n%s", flag, status, err);
    char prefix[64];
    snprintf(prefix, sizeof prefix, "t: %s: ", flag);
    cr_assert_eq(strncmp(err, prefix, strlen(prefix)), 0, "expected the line to start with '%s':\n%s", prefix,
                 err);
    char *first_newline = strchr(err, '\n');
    cr_assert_not_null(first_newline);
    *first_newline = '\0';
    cr_assert_not_null(strstr(err, problem), "expected '%s' in: %s", problem, err);
    cr_assert_eq(strncmp(first_newline + 1, "Usage: t ", 9), 0, "no usage line: %s", first_newline + 1);
}

#define BAD(suite, name, flag, ...)                      \
    Test(suite, name, .init = cr_redirect_stderr)        \
    {                                                    \
        struct options opts;                             \
        assert_refused(PARSE(&opts, __VA_ARGS__), flag); \
    }

/* ---- bad input: exit status 2, one line naming the flag, the usage ---- */

BAD(bad_tasks, not_a_number, "--tasks", "--tasks", "abc")
BAD(bad_tasks, zero, "--tasks", "--tasks", "0")
BAD(bad_tasks, negative, "--tasks", "--tasks", "-3")
BAD(bad_tasks, scientific_notation, "--tasks", "--tasks", "1e12")
BAD(bad_tasks, empty, "--tasks", "--tasks", "")
BAD(bad_tasks, overflows_64_bits, "--tasks", "--tasks", "99999999999999999999")
BAD(bad_tasks, above_limit, "--tasks", "--tasks", "10001")
BAD(bad_tasks, short_flag_names_long_flag, "--tasks", "-n", "x")
BAD(bad_seconds, nan, "--seconds", "--seconds", "nan")
BAD(bad_seconds, inf, "--seconds", "--seconds", "inf")
BAD(bad_seconds, negative, "--seconds", "--seconds", "-1")
BAD(bad_seconds, zero, "--seconds", "--seconds", "0")
BAD(bad_seconds, not_a_number, "--seconds", "--seconds", "abc")
BAD(bad_seconds, trailing_garbage, "--seconds", "--seconds", "1s")
BAD(bad_seconds, above_limit, "--seconds", "--seconds", "3601")
BAD(bad_runs, zero, "--runs", "--runs", "0")
BAD(bad_warmup, negative, "--warmup", "--warmup", "-1")
BAD(bad_strategies, unknown, "--strategies", "--strategies", "bogus")
BAD(bad_strategies, listed_twice, "--strategies", "--strategies", "threads,threads")
BAD(bad_strategies, empty, "--strategies", "--strategies", "")
BAD(bad_strategies, only_commas, "--strategies", "--strategies", ",")
BAD(bad_cpus, not_allowed, "--cpus", "--cpus", "9999")
BAD(bad_cpus, listed_twice, "--cpus", "--cpus", "0,0")
BAD(bad_cpus, not_a_number, "--cpus", "--cpus", "abc")
BAD(bad_cpus, backwards_range, "--cpus", "--cpus", "1-0")
BAD(bad_cpus, empty, "--cpus", "--cpus", "")
BAD(bad_usage, unknown_flag, "--bogus", "--bogus")
BAD(bad_usage, missing_value, "--tasks", "--tasks")
BAD(bad_usage, missing_value_for_seconds, "--seconds", "--runs", "2", "--seconds")
BAD(bad_usage, stray_positional_argument, "extra", "--tasks", "3", "extra")
BAD(bad_usage, json_and_csv_together, "--csv", "--json", "--csv")

/* A few messages say what is wrong, not only where. */
Test(bad_messages, negative_tasks_says_negative, .init = cr_redirect_stderr)
{
    struct options opts;
    assert_refused_saying(PARSE(&opts, "--tasks", "-3"), "--tasks", "negative");
}

Test(bad_messages, huge_tasks_names_the_limit, .init = cr_redirect_stderr)
{
    struct options opts;
    assert_refused_saying(PARSE(&opts, "--tasks", "99999999999999999999"), "--tasks", "10000");
}

Test(bad_messages, unknown_strategy_is_quoted, .init = cr_redirect_stderr)
{
    struct options opts;
    assert_refused_saying(PARSE(&opts, "--strategies", "threads,bogus"), "--strategies", "'bogus'");
}

Test(bad_messages, duplicate_strategy_says_twice, .init = cr_redirect_stderr)
{
    struct options opts;
    assert_refused_saying(PARSE(&opts, "--strategies", "threads,threads"), "--strategies", "twice");
}

Test(bad_messages, disallowed_cpu_is_named, .init = cr_redirect_stderr)
{
    struct options opts;
    assert_refused_saying(PARSE(&opts, "--cpus", "9999"), "--cpus", "9999");
}

Test(bad_messages, missing_value_says_needs_a_value, .init = cr_redirect_stderr)
{
    struct options opts;
    assert_refused_saying(PARSE(&opts, "--tasks"), "--tasks", "needs a value");
}

Test(bad_messages, stops_at_first_bad_flag, .init = cr_redirect_stderr)
{
    struct options opts;
    assert_refused(PARSE(&opts, "--runs", "0", "--tasks", "0"), "--runs");
}

/* getopt_long's one '?' covers three mistakes: each is said as it is. */
Test(bad_messages, a_value_for_a_switch_says_it_takes_none, .init = cr_redirect_stderr)
{
    struct options opts;
    assert_refused_saying(PARSE(&opts, "--quick=5"), "--quick", "takes no value, got '5'");
}

Test(bad_messages, a_value_for_json_says_it_takes_none, .init = cr_redirect_stderr)
{
    struct options opts;
    assert_refused_saying(PARSE(&opts, "--json=yes"), "--json", "takes no value, got 'yes'");
}

Test(bad_messages, an_ambiguous_abbreviation_lists_what_it_could_be, .init = cr_redirect_stderr)
{
    struct options opts;
    assert_refused_saying(PARSE(&opts, "--t"), "--t", "ambiguous: --tasks, --trace or --timeline-json");
}

Test(bad_messages, an_unknown_flag_is_named_without_its_value, .init = cr_redirect_stderr)
{
    struct options opts;
    assert_refused_saying(PARSE(&opts, "--bogus=3"), "--bogus", "unknown option");
}

/* What the user typed is echoed with its control characters escaped, so
 * the problem stays on its one line and cannot recolour the terminal. */
BAD(bad_escaped, newline_in_a_value, "--strategies", "--strategies", "threads\nbogus")
BAD(bad_escaped, newline_in_a_flag, "--bo\\ngus", "--bo\ngus")

Test(bad_messages, control_characters_are_escaped, .init = cr_redirect_stderr)
{
    struct options opts;
    assert_refused_saying(PARSE(&opts, "--strategies", "a\nb\033[31mc\td"), "--strategies",
                          "'a\\nb\\x1b[31mc\\td'");
}

/* ---- good values round-trip ---------------------------------------------- */

Test(good, defaults_without_flags)
{
    struct options opts;
    cr_assert_eq(PARSE(&opts, NULL), OPTIONS_RUN);
    cr_assert_eq(opts.tasks, 10);
    cr_assert_not(opts.tasks_given);
    cr_assert_float_eq(opts.seconds, 1.0, 1e-12);
    cr_assert_not(opts.seconds_given);
    cr_assert_eq(opts.runs, 3);
    cr_assert_eq(opts.warmup, 1);
    cr_assert_eq(opts.compute_runs, 3, "without --quick, computing runs as often as waiting");
    cr_assert_eq(opts.compute_warmup, 1);
    cr_assert_eq(opts.strategy_count, 3);
    cr_assert_eq(opts.strategies[0], &strategy_sequential);
    cr_assert_eq(opts.strategies[1], &strategy_threads);
    cr_assert_eq(opts.strategies[2], &strategy_processes);
    cr_assert_not(opts.cpus_given);
    cr_assert_not(opts.quick);
    cr_assert_not(opts.json);
    cr_assert_not(opts.csv);
}

Test(good, defaults_use_every_allowed_cpu)
{
    struct options opts;
    struct cpu_list allowed;
    cr_assert_eq(machine_allowed_cpus(&allowed), 0);
    cr_assert_eq(PARSE(&opts, NULL), OPTIONS_RUN);
    cr_assert_eq(opts.cpus.count, allowed.count);
    cr_assert_arr_eq(opts.cpus.ids, allowed.ids, allowed.count * sizeof allowed.ids[0]);
}

Test(good, tasks)
{
    struct options opts;
    cr_assert_eq(PARSE(&opts, "--tasks", "7"), OPTIONS_RUN);
    cr_assert_eq(opts.tasks, 7);
    cr_assert(opts.tasks_given);
}

Test(good, tasks_short_flag_and_equals_form)
{
    struct options opts;
    cr_assert_eq(PARSE(&opts, "-n", "4"), OPTIONS_RUN);
    cr_assert_eq(opts.tasks, 4);
    cr_assert_eq(PARSE(&opts, "--tasks=9"), OPTIONS_RUN);
    cr_assert_eq(opts.tasks, 9);
}

Test(good, tasks_at_limit)
{
    struct options opts;
    cr_assert_eq(PARSE(&opts, "--tasks", "10000"), OPTIONS_RUN);
    cr_assert_eq(opts.tasks, OPTIONS_MAX_TASKS);
}

Test(good, seconds)
{
    struct options opts;
    cr_assert_eq(PARSE(&opts, "--seconds", "0.25"), OPTIONS_RUN);
    cr_assert_float_eq(opts.seconds, 0.25, 1e-12);
    cr_assert(opts.seconds_given);
}

Test(good, runs)
{
    struct options opts;
    cr_assert_eq(PARSE(&opts, "--runs", "5"), OPTIONS_RUN);
    cr_assert_eq(opts.runs, 5);
}

Test(good, warmup_zero)
{
    struct options opts;
    cr_assert_eq(PARSE(&opts, "--warmup", "0"), OPTIONS_RUN);
    cr_assert_eq(opts.warmup, 0);
}

Test(good, strategies_keep_their_order)
{
    struct options opts;
    cr_assert_eq(PARSE(&opts, "--strategies", "threads,sequential"), OPTIONS_RUN);
    cr_assert_eq(opts.strategy_count, 2);
    cr_assert_eq(opts.strategies[0], &strategy_threads);
    cr_assert_eq(opts.strategies[1], &strategy_sequential);
}

Test(good, one_cpu)
{
    struct options opts;
    cr_assert_eq(PARSE(&opts, "--cpus", "0"), OPTIONS_RUN);
    cr_assert_eq(opts.cpus.count, 1);
    cr_assert_eq(opts.cpus.ids[0], 0);
    cr_assert(opts.cpus_given);
}

Test(good, cpu_range_and_list)
{
    struct options opts;
    struct cpu_list allowed;
    cr_assert_eq(machine_allowed_cpus(&allowed), 0);
    if (!cpu_list_contains(&allowed, 0) || !cpu_list_contains(&allowed, 1))
        cr_skip_test("needs CPUs 0 and 1");
    cr_assert_eq(PARSE(&opts, "--cpus", "0-1"), OPTIONS_RUN);
    cr_assert_eq(opts.cpus.count, 2);
    cr_assert_eq(opts.cpus.ids[0], 0);
    cr_assert_eq(opts.cpus.ids[1], 1);
    cr_assert_eq(PARSE(&opts, "--cpus", "1,0"), OPTIONS_RUN);
    cr_assert_eq(opts.cpus.count, 2);
    cr_assert_eq(opts.cpus.ids[0], 0, "ids are kept in increasing order");
    cr_assert_eq(opts.cpus.ids[1], 1);
}

Test(good, quick_sets_short_defaults)
{
    struct options opts;
    cr_assert_eq(PARSE(&opts, "--quick"), OPTIONS_RUN);
    cr_assert(opts.quick);
    cr_assert_eq(opts.runs, 1);
    cr_assert_eq(opts.warmup, 0);
    cr_assert_eq(opts.compute_runs, QUICK_COMPUTE_RUNS, "computing: the median of 3 short runs");
    cr_assert_eq(opts.compute_warmup, QUICK_COMPUTE_WARMUP, "after a warm-up");
    cr_assert_float_eq(opts.seconds, 0.1, 1e-12);
    cr_assert_eq(opts.tasks, 10);
}

Test(good, quick_keeps_seconds_given_after_it)
{
    struct options opts;
    cr_assert_eq(PARSE(&opts, "--quick", "--seconds", "0.5"), OPTIONS_RUN);
    cr_assert_float_eq(opts.seconds, 0.5, 1e-12);
    cr_assert_eq(opts.runs, 1);
    cr_assert_eq(opts.warmup, 0);
}

Test(good, quick_keeps_seconds_given_before_it)
{
    struct options opts;
    cr_assert_eq(PARSE(&opts, "--seconds", "0.5", "--quick"), OPTIONS_RUN);
    cr_assert_float_eq(opts.seconds, 0.5, 1e-12);
    cr_assert_eq(opts.runs, 1);
    cr_assert_eq(opts.warmup, 0);
}

Test(good, quick_keeps_runs_and_warmup_given)
{
    struct options opts;
    cr_assert_eq(PARSE(&opts, "--runs", "4", "--quick", "--warmup", "2"), OPTIONS_RUN);
    cr_assert_eq(opts.runs, 4);
    cr_assert_eq(opts.warmup, 2);
    cr_assert_eq(opts.compute_runs, 4, "what the user asked for wins, for computing too");
    cr_assert_eq(opts.compute_warmup, 2);
}

Test(good, json_alone_and_csv_alone)
{
    struct options opts;
    cr_assert_eq(PARSE(&opts, "--json"), OPTIONS_RUN);
    cr_assert(opts.json);
    cr_assert_not(opts.csv);
    cr_assert_not(opts.color);
    cr_assert_eq(PARSE(&opts, "--csv"), OPTIONS_RUN);
    cr_assert(opts.csv);
    cr_assert_not(opts.json);
}

/* Whether options_parse wants colour with stdout on a terminal (a new
 * pseudo-terminal) and TERM and NO_COLOR as given (NULL: unset). */
static bool color_on_a_terminal(const char *term, const char *no_color)
{
    int master = posix_openpt(O_RDWR | O_NOCTTY);
    cr_assert_geq(master, 0, "no pseudo-terminal");
    cr_assert_eq(grantpt(master), 0);
    cr_assert_eq(unlockpt(master), 0);
    int terminal = open(ptsname(master), O_RDWR | O_NOCTTY);
    cr_assert_geq(terminal, 0);
    int saved_stdout = dup(STDOUT_FILENO);
    dup2(terminal, STDOUT_FILENO);
    if (term != NULL)
        setenv("TERM", term, 1);
    else
        unsetenv("TERM");
    if (no_color != NULL)
        setenv("NO_COLOR", no_color, 1);
    else
        unsetenv("NO_COLOR");
    struct options opts;
    int status = PARSE(&opts, NULL);
    dup2(saved_stdout, STDOUT_FILENO);
    close(saved_stdout);
    close(terminal);
    close(master);
    cr_assert_eq(status, OPTIONS_RUN);
    return opts.color;
}

/* Colour only on a terminal that can show it: TERM=dumb and NO_COLOR
 * (https://no-color.org) both mean plain text. */
Test(good, colour_only_on_a_terminal_that_shows_it)
{
    cr_assert(color_on_a_terminal("xterm-256color", NULL), "a terminal: colour");
    cr_assert(color_on_a_terminal("xterm-256color", ""), "an empty NO_COLOR does not count");
    cr_assert_not(color_on_a_terminal("xterm-256color", "1"), "NO_COLOR: no escapes");
    cr_assert_not(color_on_a_terminal("dumb", NULL), "TERM=dumb: no escapes");
}

Test(good, parses_afresh_each_call)
{
    struct options opts;
    cr_assert_eq(PARSE(&opts, "--tasks", "3", "--runs", "2"), OPTIONS_RUN);
    cr_assert_eq(PARSE(&opts, "--tasks", "5"), OPTIONS_RUN);
    cr_assert_eq(opts.tasks, 5);
    cr_assert_eq(opts.runs, 3, "runs from the earlier call must not stick");
}

/* ---- --help and --version -------------------------------------------------- */

Test(info, help_prints_usage_and_note_to_stdout, .init = cr_redirect_stdout)
{
    struct options opts;
    cr_assert_eq(PARSE(&opts, "--help"), 0);
    char out[8192];
    read_stdout(out, sizeof out);
    cr_assert_eq(strncmp(out, "Usage: t ", 9), 0, "help should start with the usage:\n%s", out);
    cr_assert_not_null(strstr(out, "notes/x.md"), "help should name the note:\n%s", out);
    cr_assert_not_null(strstr(out, "--tasks"), "help should list the flags:\n%s", out);
}

Test(info, help_short_flag, .init = cr_redirect_stdout)
{
    struct options opts;
    cr_assert_eq(PARSE(&opts, "-h"), 0);
    char out[8192];
    read_stdout(out, sizeof out);
    cr_assert_not_null(strstr(out, "Usage:"), "%s", out);
}

Test(info, help_wins_over_later_bad_flag, .init = cr_redirect_stdout)
{
    struct options opts;
    cr_assert_eq(PARSE(&opts, "--help", "--tasks", "0"), 0);
}

Test(info, version_prints_name_and_version, .init = cr_redirect_stdout)
{
    struct options opts;
    cr_assert_eq(PARSE(&opts, "--version"), 0);
    char out[256];
    read_stdout(out, sizeof out);
    cr_assert_str_eq(out, "t (atonce) " ATONCE_VERSION "\n");
}

/* ---- a demo's own flags (the seed demos), without the harness flags ---- */

static bool keep_open;
static const char *cipher = "des3";
static double timeout_s = 0.1;

static const struct demo_flag seed_flags[] = {
    {"keep-pipe-open", DEMO_FLAG_SWITCH, NULL, "keep the parent's copy of the pipe", &keep_open, NULL},
    {"cipher", DEMO_FLAG_TEXT, "NAME", "the cipher (default des3)", &cipher, NULL},
    {"timeout", DEMO_FLAG_SECONDS, "S", "how long to wait (default 0.1)", &timeout_s, NULL},
    {0},
};

static const struct demo_info seed_demo = {
    .name = "seed",
    .summary = "a seed demo for the tests",
    .note = "notes/y.md",
    .flags = seed_flags,
};

static int parse_seed(const char *const *args)
{
    static char storage[8][64];
    char *argv[9] = {storage[0]};
    int argc = 1;
    snprintf(storage[0], sizeof storage[0], "seed");
    for (; args[argc - 1] != NULL; argc++) {
        snprintf(storage[argc], sizeof storage[argc], "%s", args[argc - 1]);
        argv[argc] = storage[argc];
    }
    argv[argc] = NULL;
    struct options opts;
    return options_parse(argc, argv, &seed_demo, &opts);
}

Test(options_demo_flags, set_their_targets)
{
    cr_assert_eq(parse_seed((const char *const[]){"--keep-pipe-open", "--cipher", "aes-256-cbc", "--timeout",
                                                  "0.5", NULL}),
                 OPTIONS_RUN);
    cr_assert(keep_open);
    cr_assert_str_eq(cipher, "aes-256-cbc");
    cr_assert_float_eq(timeout_s, 0.5, 1e-12);
}

Test(options_demo_flags, a_bad_duration_names_the_flag, .init = cr_redirect_stderr)
{
    int status = parse_seed((const char *const[]){"--timeout", "-1", NULL});
    char err[1024];
    read_stderr(err, sizeof err);
    cr_assert_eq(status, 2);
    cr_assert_eq(strncmp(err, "seed: --timeout: ", 17), 0, "%s", err);
    cr_assert_not_null(strstr(err, "Usage: seed [--keep-pipe-open] [--cipher NAME] [--timeout S]"), "%s",
                       err);
}

Test(options_demo_flags, harness_flags_are_unknown_to_a_seed_demo, .init = cr_redirect_stderr)
{
    int status = parse_seed((const char *const[]){"--tasks", "3", NULL});
    char err[1024];
    read_stderr(err, sizeof err);
    cr_assert_eq(status, 2);
    cr_assert_eq(strncmp(err, "seed: --tasks: unknown option", 29), 0, "%s", err);
}

Test(options_demo_flags, help_lists_them_and_ends_with_the_note, .init = cr_redirect_stdout)
{
    i18n_use_language("en"); /* the English note, whatever the caller's language */
    cr_assert_eq(parse_seed((const char *const[]){"--help", NULL}), 0);
    char out[4096];
    read_stdout(out, sizeof out);
    cr_assert_not_null(strstr(out, "--cipher NAME"), "%s", out);
    cr_assert_null(strstr(out, "--tasks"), "%s", out);
    cr_assert_not_null(strstr(out, "Read alongside: notes/y.md\n"), "%s", out);
}

/* A demo whose output is not one table (scaling, mpi_cpu) refuses --csv and
 * --trace with exit 2, and its --help does not offer them. One whose table
 * is fixed (mpi_cpu) refuses --strategies likewise; and a demo may name
 * its own default task count (mpi_cpu: one per rank). */
static const struct demo_info json_only = {
    .name = "j",
    .summary = "a demo that prints only JSON or its own table",
    .note = "notes/00-concurrency-vs-parallelism.md",
    .default_tasks = 0,
    .default_tasks_help = "one per rank",
    .default_seconds = 0.1,
    .default_strategies = "sequential",
    .harness = true,
    .no_csv = true,
    .no_trace = true,
    .no_strategies = true,
};

static int parse_json_only(const char *flag, const char *value)
{
    char name[] = "j", copy_flag[64], copy_value[64];
    snprintf(copy_flag, sizeof copy_flag, "%s", flag);
    snprintf(copy_value, sizeof copy_value, "%s", value != NULL ? value : "");
    char *argv[] = {name, copy_flag, value != NULL ? copy_value : NULL, NULL};
    struct options opts;
    return options_parse(value != NULL ? 3 : 2, argv, &json_only, &opts);
}

Test(json_only, refuses_csv_and_trace_by_name, .init = cr_redirect_stderr)
{
    cr_assert_eq(parse_json_only("--csv", NULL), 2);
    cr_assert_eq(parse_json_only("--trace", "out.json"), 2);
    cr_assert_eq(parse_json_only("--strategies", "sequential"), 2);
    char err[4096];
    read_stderr(err, sizeof err);
    cr_assert_not_null(strstr(err, "j: --strategies: not available in this demo"), "%s", err);
    cr_assert_not_null(strstr(err, "j: --csv: not available in this demo; use --json"), "%s", err);
    cr_assert_not_null(strstr(err, "j: --trace: not available in this demo"), "%s", err);
}

Test(json_only, help_does_not_offer_them, .init = cr_redirect_stdout)
{
    cr_assert_eq(parse_json_only("--help", NULL), 0);
    fflush(stdout);
    char out[8192];
    read_redirected(cr_get_redirected_stdout(), out, sizeof out);
    cr_assert_null(strstr(out, "--csv"), "%s", out);
    cr_assert_null(strstr(out, "--trace"), "%s", out);
    cr_assert_null(strstr(out, "--strategies"), "%s", out);
    cr_assert_not_null(strstr(out, "--json"), "%s", out);
    cr_assert_not_null(strstr(out, "(default one per rank;"), "%s", out);
}

/* The last line names the note; in Korean (LANGUAGE=ko, which the tour's
 * --lang ko sets), the Korean one under notes/ko/; a language without a
 * translation keeps the English one. */
Test(options_print_note, names_the_note_in_the_language_asked_for, .init = cr_redirect_stdout)
{
    i18n_use_language("en");
    options_print_note("notes/01-sleep.md");
    i18n_use_language("ko");
    options_print_note("notes/01-sleep.md");
    i18n_use_language("xx");
    options_print_note("notes/01-sleep.md");
    i18n_use_language("en");
    char out[1024];
    read_stdout(out, sizeof out);
    cr_assert_str_eq(out, "Read alongside: notes/01-sleep.md\n"
                          "함께 읽기: notes/ko/01-sleep.md\n"
                          "Read alongside: notes/01-sleep.md\n");
}

/* ---- computing tasks share the work on many CPUs (demo_cpu_seconds) ---- */

Test(shared_work, up_to_2_tasks_each_computes_the_default)
{
    cr_expect_float_eq(demo_share_of_work(0.5, 1, false), 0.5, 1e-12);
    cr_expect_float_eq(demo_share_of_work(0.5, 2, false), 0.5, 1e-12);
}

Test(shared_work, more_tasks_share_the_work_of_2_down_to_the_shortest_task)
{
    cr_expect_float_eq(demo_share_of_work(0.5, 16, false), 0.0625, 1e-12);
    cr_expect_float_eq(demo_share_of_work(0.5, 64, false), OPTIONS_SHORTEST_TASK, 1e-12);
    cr_expect_float_eq(demo_share_of_work(0.05, 16, true), OPTIONS_SHORTEST_QUICK_TASK, 1e-12);
    cr_expect_float_eq(demo_share_of_work(0.005, 64, true), 0.005, 1e-12, "already shorter: as it is");
}

/* The sequential row runs every task in turn: on any number of CPUs it
 * takes no longer than on 2, until the tasks reach the shortest. */
Test(shared_work, the_sequential_row_takes_as_long_on_any_number_of_cpus)
{
    for (size_t n = 1; n <= 1024; n++) {
        double all = (double)n * demo_share_of_work(0.5, n, false);
        double bound = n * OPTIONS_SHORTEST_TASK > 1.0 ? n * OPTIONS_SHORTEST_TASK : 1.0;
        cr_assert_leq(all, bound + 1e-9, "%zu tasks compute %g s in all", n, all);
        cr_assert_geq(all, n <= 2 ? 0.5 * (double)n - 1e-9 : 1.0 - 1e-9, "%zu tasks: less work than on 2", n);
    }
}

Test(shared_work, what_the_command_line_chose_stays)
{
    struct demo_info both = demo;
    struct options opts = {.cpus.count = 16, .seconds = 0.1};
    cr_expect_float_eq(demo_cpu_seconds(&both, &opts, 0.25), 0.25 / 8, 1e-12, "one task per CPU share");
    opts.quick = true;
    cr_expect_float_eq(demo_cpu_seconds(&both, &opts, 0.05), OPTIONS_SHORTEST_QUICK_TASK, 1e-12);
    opts.quick = false;
    opts.tasks_given = true;
    cr_expect_float_eq(demo_cpu_seconds(&both, &opts, 0.25), 0.25, 1e-12, "--tasks chose the count");
    both.tasks_sleep_only = true;
    cr_expect_float_eq(demo_cpu_seconds(&both, &opts, 0.25), 0.25 / 8, 1e-12, "--tasks only for sleeps");
    opts.seconds_given = true;
    cr_expect_float_eq(demo_cpu_seconds(&both, &opts, 0.25), 0.1, 1e-12, "--seconds as given");
}

/* ---- a choice typed at a prompt (demo_is_choice) ---- */

Test(prompt, a_letter_or_the_word_in_either_case_with_spaces)
{
    const char *const skips[] = {"s", "s\n", " S \n", "skip", "SKIP\n", "\tSkip \n"};
    for (size_t i = 0; i < sizeof skips / sizeof skips[0]; i++)
        cr_expect(demo_is_choice(skips[i], "skip"), "'%s' should skip", skips[i]);
    const char *const guesses[] = {"", "\n", "slower", "sk", "s x", "skipped", "q"};
    for (size_t i = 0; i < sizeof guesses / sizeof guesses[0]; i++)
        cr_expect_not(demo_is_choice(guesses[i], "skip"), "'%s' is not skip", guesses[i]);
    cr_expect(demo_is_choice(" Quit\n", "quit"));
}
