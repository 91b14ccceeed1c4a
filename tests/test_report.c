/* report: JSON strings are escaped exactly, and JSON and CSV carry the
 * numbers of a comparison built by hand (no clock is read). */
#include "report.h"

#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

/* Runs report_json_string on `text` and returns what it wrote (free it). */
static char *json_string(const char *text)
{
    char *out = NULL;
    size_t size = 0;
    FILE *f = open_memstream(&out, &size);
    cr_assert_not_null(f);
    report_json_string(f, text);
    cr_assert_eq(fclose(f), 0);
    return out;
}

static void assert_json_string(const char *text, const char *expected)
{
    char *got = json_string(text);
    cr_assert_str_eq(got, expected);
    free(got);
}

Test(report_json_string, plain_ascii_is_only_quoted)
{
    assert_json_string("sleep: 9.97x on 2 CPUs -> ok", "\"sleep: 9.97x on 2 CPUs -> ok\"");
}

Test(report_json_string, empty_string_is_two_quotes)
{
    assert_json_string("", "\"\"");
}

Test(report_json_string, double_quote_is_escaped)
{
    assert_json_string("say \"hi\"", "\"say \\\"hi\\\"\"");
}

Test(report_json_string, backslash_is_escaped)
{
    assert_json_string("a\\b", "\"a\\\\b\"");
}

Test(report_json_string, newline_and_tab_are_escaped)
{
    assert_json_string("one\ntwo\tthree", "\"one\\ntwo\\tthree\"");
}

Test(report_json_string, other_control_characters_become_unicode_escapes)
{
    assert_json_string("\x01", "\"\\u0001\"");
    assert_json_string("a\rb", "\"a\\u000db\"");
    assert_json_string("\x1f\x1b", "\"\\u001f\\u001b\"");
}

Test(report_json_string, utf8_bytes_are_left_as_they_are)
{
    assert_json_string("동시성", "\"동시성\"");
    assert_json_string("caf\xc3\xa9", "\"caf\xc3\xa9\"");
}

/* ---- JSON and CSV of a whole comparison -------------------------------- */

static const struct demo_info demo = {
    .name = "t",
    .summary = "a test demo",
    .note = "notes/x.md",
    .default_tasks = 10,
    .default_seconds = 1.0,
    .quick_tasks = 10,
    .quick_seconds = 0.1,
    .default_strategies = "sequential,threads",
    .harness = true,
};

/* A cpu comparison of 2 tasks on CPUs 0-1: sequential 2.0 s, threads 1.0 s. */
static struct comparison cpu_comparison(void)
{
    struct comparison c;
    memset(&c, 0, sizeof c);
    c.workload = (struct workload){.kind = &workload_cpu, .seconds = 1.0, .units = 12345};
    c.ntasks = 2;
    c.cpus.count = 2;
    c.cpus.ids[0] = 0;
    c.cpus.ids[1] = 1;
    c.count = 2;
    c.results[0] = (struct measurement){.strategy = &strategy_sequential,
                                        .runs = 3,
                                        .wall = 2.0,
                                        .wall_min = 1.9,
                                        .wall_max = 2.5,
                                        .user = 1.5,
                                        .sys = 0.5,
                                        .checksum = UINT64_C(0xabc),
                                        .checksum_ok = true,
                                        .spans = NULL};
    c.results[1] = (struct measurement){.strategy = &strategy_threads,
                                        .runs = 3,
                                        .wall = 1.0,
                                        .wall_min = 0.75,
                                        .wall_max = 1.25,
                                        .user = 1.75,
                                        .sys = 0.25,
                                        .checksum = UINT64_C(0xabc),
                                        .checksum_ok = true,
                                        .spans = NULL};
    return c;
}

static struct machine test_machine(void)
{
    struct machine m;
    memset(&m, 0, sizeof m);
    m.cpus_online = 2;
    m.allowed.count = 2;
    m.allowed.ids[0] = 0;
    m.allowed.ids[1] = 1;
    strcpy(m.kernel, "6.1.0-test");
    return m;
}

/* report_json of `comparisons` as a string (free it). */
static char *json_of(const struct comparison *comparisons, size_t count, bool per_result_workload,
                     char verdicts[][VERDICT_SIZE], size_t verdict_count)
{
    struct machine m = test_machine();
    char *out = NULL;
    size_t size = 0;
    FILE *f = open_memstream(&out, &size);
    cr_assert_not_null(f);
    report_json(f, &demo, &m, comparisons, count, per_result_workload, verdicts, verdict_count, false);
    cr_assert_eq(fclose(f), 0);
    return out;
}

static char *csv_of(const struct comparison *comparisons, size_t count, bool per_result_workload)
{
    char *out = NULL;
    size_t size = 0;
    FILE *f = open_memstream(&out, &size);
    cr_assert_not_null(f);
    report_csv(f, comparisons, count, per_result_workload);
    cr_assert_eq(fclose(f), 0);
    return out;
}

static size_t count_occurrences(const char *haystack, const char *needle)
{
    size_t n = 0;
    for (const char *p = strstr(haystack, needle); p != NULL; p = strstr(p + 1, needle))
        n++;
    return n;
}

static size_t count_char(const char *text, char c)
{
    size_t n = 0;
    for (; *text != '\0'; text++)
        n += *text == c;
    return n;
}

#define assert_contains(text, needle) \
    cr_assert_not_null(strstr((text), (needle)), "expected %s in:\n%s", (needle), (text))
#define assert_lacks(text, needle) \
    cr_assert_null(strstr((text), (needle)), "did not expect %s in:\n%s", (needle), (text))

Test(report_json, is_one_object_on_one_line_with_balanced_brackets)
{
    struct comparison c = cpu_comparison();
    char verdicts[1][VERDICT_SIZE] = {"cpu: 2.00x on 2 CPUs"};
    char *json = json_of(&c, 1, false, verdicts, 1);
    size_t len = strlen(json);
    cr_assert_gt(len, 2);
    cr_assert_eq(json[0], '{');
    cr_assert_eq(json[len - 2], '}');
    cr_assert_eq(json[len - 1], '\n');
    cr_assert_eq(count_char(json, '\n'), 1);
    cr_assert_eq(count_char(json, '{'), count_char(json, '}'));
    cr_assert_eq(count_char(json, '['), count_char(json, ']'));
    cr_assert_eq(count_char(json, '"') % 2, 0);
    free(json);
}

Test(report_json, has_demo_machine_workload_and_verdicts)
{
    struct comparison c = cpu_comparison();
    char verdicts[1][VERDICT_SIZE] = {"cpu: 2.00x on 2 CPUs -> \"parallel\""};
    char *json = json_of(&c, 1, false, verdicts, 1);
    assert_contains(json, "\"demo\": \"t\"");
    assert_contains(json, "\"version\": \"" ATONCE_VERSION "\"");
    assert_contains(json, "\"machine\": {\"cpus_allowed\": [0, 1], \"cpus_online\": 2, ");
    assert_contains(json, "\"kernel\": \"6.1.0-test\"}");
    assert_contains(json, "\"workload\": {\"kind\": \"cpu\", \"tasks\": 2, \"seconds\": 1, "
                          "\"units\": 12345}");
    assert_contains(json, "\"verdicts\": [\"cpu: 2.00x on 2 CPUs -> \\\"parallel\\\"\"]");
    free(json);
}

Test(report_json, results_carry_the_measured_numbers)
{
    struct comparison c = cpu_comparison();
    char *json = json_of(&c, 1, false, NULL, 0);
    assert_contains(json, "\"results\": [{\"strategy\": \"sequential\", ");
    assert_contains(json, "{\"strategy\": \"threads\", ");
    cr_assert_eq(count_occurrences(json, "\"strategy\": "), 2);
    /* sequential: 2.0 s, 1.5 + 0.5 s of CPU */
    assert_contains(json, "\"wall_s\": 2, \"wall_min_s\": 1.9, \"wall_max_s\": 2.5, "
                          "\"user_s\": 1.5, \"sys_s\": 0.5, \"cpu_use\": 1, \"speedup\": 1, "
                          "\"ideal_speedup\": 1, \"efficiency\": 1");
    /* threads: 1.0 s, 2.0 s of CPU, twice as fast on 2 CPUs */
    assert_contains(json, "\"wall_s\": 1, \"wall_min_s\": 0.75, \"wall_max_s\": 1.25, "
                          "\"user_s\": 1.75, \"sys_s\": 0.25, \"cpu_use\": 2, \"speedup\": 2, "
                          "\"ideal_speedup\": 2, \"efficiency\": 1");
    assert_contains(json, "\"checksum\": \"0000000000000abc\", \"checksum_ok\": true, \"runs\": 3, "
                          "\"runs_set_aside\": 0, \"load\": {");
    assert_contains(json, "\"verdicts\": []");
    free(json);
}

Test(report_json, checksum_mismatch_is_false)
{
    struct comparison c = cpu_comparison();
    c.results[1].checksum = UINT64_C(0xdef);
    c.results[1].checksum_ok = false;
    char *json = json_of(&c, 1, false, NULL, 0);
    assert_contains(json, "\"checksum\": \"0000000000000def\", \"checksum_ok\": false");
    free(json);
}

Test(report_json, speedup_is_null_without_sequential)
{
    struct comparison c = cpu_comparison();
    c.results[0] = c.results[1];
    c.count = 1; /* threads only */
    char *json = json_of(&c, 1, false, NULL, 0);
    assert_contains(json, "\"speedup\": null, \"ideal_speedup\": 2, \"efficiency\": null");
    free(json);
}

Test(report_json, per_result_workload_names_workload_and_cpus_in_each_result)
{
    struct comparison both[2] = {cpu_comparison(), cpu_comparison()};
    both[1].workload.kind = &workload_sleep;
    both[1].cpus.count = 1;
    char *json = json_of(both, 2, true, NULL, 0);
    assert_lacks(json, "\"workload\": {");
    cr_assert_eq(count_occurrences(json, "\"strategy\": "), 4);
    cr_assert_eq(count_occurrences(json, "\"workload\": "), 4);
    cr_assert_eq(count_occurrences(json, "\"cpus_allowed\": "), 5); /* 4 results + machine */
    cr_assert_eq(count_occurrences(json, "\"workload\": \"cpu\", \"cpus_allowed\": [0, 1]"), 2);
    cr_assert_eq(count_occurrences(json, "\"workload\": \"sleep\", \"cpus_allowed\": [0]"), 2);
    free(json);
}

Test(report_json, without_per_result_workload_results_do_not_name_it)
{
    struct comparison c = cpu_comparison();
    char *json = json_of(&c, 1, false, NULL, 0);
    cr_assert_eq(count_occurrences(json, "\"workload\": "), 1);
    cr_assert_eq(count_occurrences(json, "\"cpus_allowed\": "), 1); /* the machine's only */
    free(json);
}

Test(report_csv, header_then_one_row_per_result)
{
    struct comparison c = cpu_comparison();
    char *csv = csv_of(&c, 1, false);
    const char *header = "strategy,wall_s,wall_min_s,wall_max_s,user_s,sys_s,cpu_use,speedup,"
                         "ideal_speedup,efficiency,checksum,checksum_ok,runs,runs_set_aside\n";
    cr_assert_eq(strncmp(csv, header, strlen(header)), 0, "header wrong:\n%s", csv);
    cr_assert_eq(count_char(csv, '\n'), 3);
    assert_contains(csv, "\nsequential,2,1.9,2.5,1.5,0.5,1,1,1,1,0000000000000abc,true,3,0\n");
    assert_contains(csv, "\nthreads,1,0.75,1.25,1.75,0.25,2,2,2,1,0000000000000abc,true,3,0\n");
    free(csv);
}

Test(report_csv, rows_have_as_many_fields_as_the_header)
{
    struct comparison c = cpu_comparison();
    char *csv = csv_of(&c, 1, false);
    size_t lines = 0;
    for (char *line = strtok(csv, "\n"); line != NULL; line = strtok(NULL, "\n")) {
        cr_assert_eq(count_char(line, ','), 13, "line %zu: %s", lines, line);
        lines++;
    }
    cr_assert_eq(lines, 3);
    free(csv);
}

Test(report_csv, per_result_workload_adds_workload_and_cpus_columns)
{
    struct comparison both[2] = {cpu_comparison(), cpu_comparison()};
    both[1].workload.kind = &workload_sleep;
    both[1].cpus.count = 1;
    char *csv = csv_of(both, 2, true);
    const char *header = "workload,cpus_allowed,strategy,";
    cr_assert_eq(strncmp(csv, header, strlen(header)), 0, "header wrong:\n%s", csv);
    cr_assert_eq(count_char(csv, '\n'), 5);
    cr_assert_eq(count_occurrences(csv, "\ncpu,\"0,1\",sequential,"), 1);
    cr_assert_eq(count_occurrences(csv, "\ncpu,\"0,1\",threads,"), 1);
    cr_assert_eq(count_occurrences(csv, "\nsleep,\"0\",sequential,"), 1);
    cr_assert_eq(count_occurrences(csv, "\nsleep,\"0\",threads,"), 1);
    free(csv);
}

Test(report_csv, speedup_columns_are_empty_without_sequential)
{
    struct comparison c = cpu_comparison();
    c.results[0] = c.results[1];
    c.count = 1;
    char *csv = csv_of(&c, 1, false);
    assert_contains(csv, "\nthreads,1,0.75,1.25,1.75,0.25,2,,2,,0000000000000abc,true,3,0\n");
    free(csv);
}

/* A verdict whose meaning is longer than a line is wrapped at spaces, every
 * line within 80 columns, no word lost. */
/* What report_table prints for `c`, as one string (free it). */
static char *table_of(const struct comparison *c)
{
    struct options opts = {.color = false};
    char *out = NULL;
    size_t size = 0;
    fflush(stdout);
    FILE *saved = stdout, *f = open_memstream(&out, &size);
    cr_assert_not_null(f);
    stdout = f;
    report_table(c, &opts);
    stdout = saved;
    cr_assert_eq(fclose(f), 0);
    return out;
}

Test(report_table, says_which_runs_were_set_aside_and_why_within_80_columns)
{
    struct comparison c = cpu_comparison();
    char *plain = table_of(&c);
    assert_lacks(plain, "set aside");
    free(plain);
    c.results[1].runs = 5;
    c.results[1].set_aside = 2;
    c.results[1].set_aside_why = DISTURB_WAITED | DISTURB_SLOWED;
    char *table = table_of(&c);
    assert_contains(table, "set aside as not fair (a task waited for a CPU, the CPU was slower):");
    assert_contains(table, "of 5 runs; the medians are of the rest");
    assert_contains(table, "threads 2");
    for (char *line = strtok(table, "\n"); line != NULL; line = strtok(NULL, "\n"))
        cr_assert_leq(strlen(line), 80, "a line of %zu columns: %s", strlen(line), line);
    free(table);
}

Test(report_verdicts, wraps_a_long_meaning_within_80_columns)
{
    char verdicts[1][VERDICT_SIZE] = {
        "cpu: 1.00x on 1 CPU, 1.79x on 2 CPUs -> short of the ideal 2x: threads tasks took 13% more "
        "CPU time than alone: a slower clock"};
    struct options opts = {.color = false};
    fflush(stdout);
    FILE *saved = stdout, *out = tmpfile();
    cr_assert_not_null(out);
    stdout = out;
    report_verdicts(verdicts, 1, &opts);
    fflush(out);
    stdout = saved;
    rewind(out);
    char line[256], all[1024] = "";
    size_t lines = 0;
    while (fgets(line, sizeof line, out) != NULL) {
        line[strcspn(line, "\n")] = '\0';
        cr_assert_leq(strlen(line), 80, "a line of %zu columns: %s", strlen(line), line);
        strncat(all, line, sizeof all - strlen(all) - 1);
        strncat(all, " ", sizeof all - strlen(all) - 1);
        lines += line[0] != '\0';
    }
    fclose(out);
    cr_assert_eq(lines, 3, "measured, meaning, and the meaning's rest:\n%s", all);
    assert_contains(all, "took 13% more");
    assert_contains(all, "slower clock");
}
