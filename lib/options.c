#include "options.h"
#include "output.h"

#include "i18n.h"
#include "interrupt.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum {
    OPT_NO_COLOR = 1000,
    OPT_JSON,
    OPT_CSV,
    OPT_QUICK,
    OPT_VERSION,
    OPT_CPUS,
    OPT_STRATEGIES,
    OPT_WARMUP,
    OPT_TRACE,
    OPT_TIMELINE_JSON,
    OPT_FORCE
};
enum { OPT_DEMO_FLAG = 2000 }; /* + the index in demo->flags */
#define MAX_OPTIONS 40

/* The harness flags: every harness demo takes them. */
static const struct option harness_options[] = {
    {"tasks", required_argument, NULL, 'n'},
    {"seconds", required_argument, NULL, 's'},
    {"runs", required_argument, NULL, 'r'},
    {"warmup", required_argument, NULL, OPT_WARMUP},
    {"strategies", required_argument, NULL, OPT_STRATEGIES},
    {"cpus", required_argument, NULL, OPT_CPUS},
    {"quick", no_argument, NULL, OPT_QUICK},
    {"json", no_argument, NULL, OPT_JSON},
    {"csv", no_argument, NULL, OPT_CSV},
    {"trace", required_argument, NULL, OPT_TRACE},
    {"timeline-json", no_argument, NULL, OPT_TIMELINE_JSON},
    {"force", no_argument, NULL, OPT_FORCE},
    {NULL, 0, NULL, 0},
};

/* The flags every demo takes. */
static const struct option common_options[] = {
    {"no-color", no_argument, NULL, OPT_NO_COLOR},
    {"help", no_argument, NULL, 'h'},
    {"version", no_argument, NULL, OPT_VERSION},
    {NULL, 0, NULL, 0},
};

static size_t flag_count(const struct demo_info *demo)
{
    size_t n = 0;
    while (demo->flags != NULL && demo->flags[n].name != NULL)
        n++;
    return n;
}

/* The getopt_long table for this demo: harness flags (if it takes them),
 * its own flags, the common ones. */
static void build_table(const struct demo_info *demo, struct option table[MAX_OPTIONS])
{
    size_t n = 0;
    for (const struct option *o = harness_options; demo->harness && o->name != NULL; o++)
        table[n++] = *o;
    for (size_t i = 0; i < flag_count(demo) && n + 4 < MAX_OPTIONS; i++) {
        const struct demo_flag *f = &demo->flags[i];
        table[n++] = (struct option){f->name, f->kind == DEMO_FLAG_SWITCH ? no_argument : required_argument,
                                     NULL, OPT_DEMO_FLAG + (int)i};
    }
    for (const struct option *o = common_options; o->name != NULL; o++)
        table[n++] = *o;
    table[n] = (struct option){NULL, 0, NULL, 0};
}

/* The name a user typed for option `value`, e.g. "--tasks". */
static const char *flag_name(const struct demo_info *demo, int value)
{
    static char name[48];
    struct option table[MAX_OPTIONS];
    build_table(demo, table);
    for (const struct option *o = table; o->name != NULL; o++)
        if (o->val == value) {
            snprintf(name, sizeof name, "--%s", o->name);
            return name;
        }
    snprintf(name, sizeof name, "-%c", value);
    return name;
}

/* The usage summary, for an error message. */
/* Prints one usage item, starting a new line where it would pass 80 columns. */
static void usage_item(FILE *to, size_t *column, const char *item)
{
    if (*column + 1 + strlen(item) > 80) {
        fprintf(to, "\n      ");
        *column = 6;
    }
    *column += (size_t)fprintf(to, " %s", item);
}

static void options_print_usage(FILE *to, const struct demo_info *demo)
{
    static const char *const harness_items[] = {
        "[--tasks N]",         "[--seconds S]",  "[--runs R]", "[--warmup W]",
        "[--strategies LIST]", "[--cpus LIST]",  "[--quick]",  "[--json | --csv]",
        "[--timeline-json]",   "[--trace FILE]", "[--force]",  NULL,
    };
    static const char *const common_items[] = {"[--no-color]", "[--help]", "[--version]", NULL};
    size_t column = (size_t)fprintf(to, "Usage: %s", demo->name);
    for (const char *const *item = harness_items; demo->harness && *item != NULL; item++) {
        if (demo->no_csv && strcmp(*item, "[--json | --csv]") == 0)
            usage_item(to, &column, "[--json]");
        else if (!(demo->no_trace && strcmp(*item, "[--trace FILE]") == 0) &&
                 !(demo->no_strategies && strcmp(*item, "[--strategies LIST]") == 0))
            usage_item(to, &column, *item);
    }
    for (size_t i = 0; i < flag_count(demo); i++) {
        const struct demo_flag *f = &demo->flags[i];
        char item[64];
        if (f->kind == DEMO_FLAG_SWITCH)
            snprintf(item, sizeof item, "[--%s]", f->name);
        else
            snprintf(item, sizeof item, "[--%s %s]", f->name, f->value_name);
        usage_item(to, &column, item);
    }
    for (const char *const *item = common_items; *item != NULL; item++)
        usage_item(to, &column, *item);
    fprintf(to, "\n");
}

void options_put_escaped(FILE *to, const char *text)
{
    for (const unsigned char *c = (const unsigned char *)text; *c != '\0'; c++) {
        if (*c == '\n' || *c == '\t' || *c == '\r')
            fprintf(to, "\\%c", *c == '\n' ? 'n' : *c == '\t' ? 't' : 'r');
        else if (*c < 0x20 || *c == 0x7f)
            fprintf(to, "\\x%02x", *c);
        else if (*c == 0xc2 && c[1] >= 0x80 && c[1] <= 0x9f)
            fprintf(to, "\\u%04x", *++c);
        else
            fputc(*c, to);
    }
}

void options_say_cannot_write(const struct demo_info *demo, const char *path, const char *why)
{
    fprintf(stderr, "%s: --trace: cannot write ", demo->name);
    options_put_escaped(stderr, path);
    fprintf(stderr, ": %s\n", why);
}

/* Prints "<demo>: <flag>: <problem>" as one line, then the usage; returns
 * exit status 2. */
static int bad_usage_v(const struct demo_info *demo, const char *flag, const char *format, va_list args)
{
    char problem[1024];
    vsnprintf(problem, sizeof problem, format, args);
    fprintf(stderr, "%s: ", demo->name);
    options_put_escaped(stderr, flag);
    fputs(": ", stderr);
    options_put_escaped(stderr, problem);
    fputc('\n', stderr);
    options_print_usage(stderr, demo);
    return 2;
}

__attribute__((format(printf, 3, 4))) static int bad_usage(const struct demo_info *demo, const char *flag,
                                                           const char *format, ...)
{
    va_list args;
    va_start(args, format);
    int status = bad_usage_v(demo, flag, format, args);
    va_end(args);
    return status;
}

int options_refuse(const struct demo_info *demo, const char *flag, const char *format, ...)
{
    va_list args;
    va_start(args, format);
    int status = bad_usage_v(demo, flag, format, args);
    va_end(args);
    return status;
}

/* getopt_long's '?' for `arg`, the argument it stopped at (optopt: the
 * flag's value in the table, or 0): a switch given a value ("--quick=5"),
 * an abbreviation of more than one flag ("--t"), or a flag this demo does
 * not have. Each is said as it is. Returns exit status 2. */
static int refuse_unrecognized(const struct demo_info *demo, const struct option table[], const char *arg,
                               int optopt_value)
{
    if (optopt_value != 0) {
        const char *name = flag_name(demo, optopt_value);
        const char *value = strchr(arg, '=');
        if (name[1] == '-' && strncmp(arg, "--", 2) == 0 && value != NULL)
            return bad_usage(demo, name, "takes no value, got '%s'", value + 1);
        return bad_usage(demo, name, "unknown option");
    }
    char typed[64]; /* the flag as typed, without "=value" */
    snprintf(typed, sizeof typed, "%.*s", (int)strcspn(arg, "="), arg);
    const struct option *matches[MAX_OPTIONS];
    size_t n = 0;
    for (const struct option *o = table; strlen(typed) > 2 && o->name != NULL; o++)
        if (strstr(o->name, typed + 2) == o->name) /* begins with what was typed after "--" */
            matches[n++] = o;
    if (n < 2)
        return bad_usage(demo, typed, "unknown option");
    char could_be[512] = "";
    for (size_t i = 0; i < n; i++) {
        size_t used = strlen(could_be);
        snprintf(could_be + used, sizeof could_be - used, "%s--%s",
                 i == 0      ? ""
                 : i + 1 < n ? ", "
                             : " or ",
                 matches[i]->name);
    }
    return bad_usage(demo, typed, "ambiguous: %s?", could_be);
}

/* The strategies this demo can measure. */
static const struct strategy *const *known_strategies(const struct demo_info *demo)
{
    return demo->strategies != NULL ? demo->strategies : strategy_all;
}

static void print_harness_help(const struct demo_info *demo)
{
    char tasks[64];
    if (demo->default_tasks == 0)
        snprintf(tasks, sizeof tasks, "%s",
                 demo->default_tasks_help != NULL ? _(demo->default_tasks_help) : _("one per CPU"));
    else
        snprintf(tasks, sizeof tasks, "%zu", demo->default_tasks);
    printf(_("  -n, --tasks N        %s\n"
             "                       (default %s; up to %d)\n"
             "  -s, --seconds S      %s (default %g)\n"),
           demo->tasks_help != NULL ? _(demo->tasks_help) : _("how many tasks"), tasks, OPTIONS_MAX_TASKS,
           demo->seconds_help != NULL ? _(demo->seconds_help) : _("how long each task takes, in seconds"),
           demo->default_seconds);
    if (demo->shares_work)
        printf(_("                       Without --seconds, N > %d computing tasks (%s)\n"
                 "                       share the work of %d: each computes %d/N of its time on %d\n"
                 "                       CPUs, but at least %g s (--quick %g s).\n"),
               OPTIONS_SIZED_FOR_CPUS,
               demo->default_tasks_help != NULL ? _(demo->default_tasks_help) : _("one per CPU"),
               OPTIONS_SIZED_FOR_CPUS, OPTIONS_SIZED_FOR_CPUS, OPTIONS_SIZED_FOR_CPUS, OPTIONS_SHORTEST_TASK,
               OPTIONS_SHORTEST_QUICK_TASK);
    printf(_("  -r, --runs R         measured runs per strategy, median shown (default %d)\n"
             "      --warmup W       runs before measuring, not counted (default %d)\n"),
           demo->default_runs > 0 ? demo->default_runs : 3,
           demo->default_runs > 0 ? demo->default_warmup : 1);
    if (!demo->no_strategies)
        printf(_("      --strategies L   which strategies, comma-separated, from the list below\n"
                 "                       (default %s)\n"),
               demo->default_strategies);
    printf(_("      --cpus LIST      run only on these CPUs, e.g. 0 or 0,1 or 0-3\n"
             "      --quick          short defaults for a rehearsal, 3 s or less (computing:\n"
             "                       the median of 3 short runs after a warm-up)\n"
             "      --json           print one JSON object instead of the table\n"));
    if (!demo->no_csv)
        printf(_("      --csv            print CSV rows instead of the table\n"));
    if (!demo->no_trace)
        printf(_("      --trace FILE     also write a timeline for ui.perfetto.dev to open\n"));
    printf(_("      --timeline-json  with --json: each result also lists its tasks' times\n"
             "      --force          run even if it would take over %g minutes (else refused)\n"),
           OPTIONS_LONGEST_RUN / 60.0);
}

static void print_help(const struct demo_info *demo)
{
    printf(_("Usage: %s [OPTION]...\n%s\n\n"), demo->name, _(demo->summary));
    if (demo->harness)
        print_harness_help(demo);
    for (size_t i = 0; i < flag_count(demo); i++) {
        const struct demo_flag *f = &demo->flags[i];
        char left[48];
        snprintf(left, sizeof left, "--%s%s%s", f->name, f->kind == DEMO_FLAG_SWITCH ? "" : " ",
                 f->kind == DEMO_FLAG_SWITCH ? "" : f->value_name);
        if (strlen(left) <= 16)
            printf("      %-16s %s\n", left, _(f->help));
        else /* a long flag: its help on the next line */
            printf("      %s\n%23s%s\n", left, "", _(f->help));
    }
    printf(_("      --no-color       no colour (NO_COLOR=1 and TERM=dumb do the same)\n"
             "  -h, --help           show this help\n"
             "      --version        show the version\n\n"));
    if (demo->harness) {
        const struct strategy *const *list = known_strategies(demo);
        printf("%s", demo->no_strategies ? _("Strategies (every run measures each):\n") : _("Strategies:\n"));
        for (size_t i = 0; list[i] != NULL; i++)
            printf("  %-12s %s\n", list[i]->name, _(list[i]->explains));
        printf("\n");
    }
    if (demo->exit_help != NULL)
        printf(_("Exit status: %s\n"), _(demo->exit_help));
    else if (demo->harness)
        printf("%s", _("Exit status: 0 ok, 1 a failure or a checksum mismatch, 2 bad usage.\n"));
    else
        printf("%s", _("Exit status: 0 ok, 1 a failure, 2 bad usage.\n"));
    options_print_note(demo->note);
}

void options_print_note(const char *note)
{
    const char *notes = "notes/";
    if (i18n_korean() && strncmp(note, notes, strlen(notes)) == 0)
        printf(_("Read alongside: notes/ko/%s\n"), note + strlen(notes));
    else
        printf(_("Read alongside: %s\n"), note);
}

/* A whole number in [min, max], digits only. Returns 0 or an exit status. */
static int parse_count(const struct demo_info *demo, const char *flag, const char *text, long min, long max,
                       long *out)
{
    if (text[0] == '\0')
        return bad_usage(demo, flag, "needs a number, got an empty string");
    if (strspn(text, "0123456789") != strlen(text)) {
        if (text[0] == '-' && strspn(text + 1, "0123456789") == strlen(text + 1) && text[1] != '\0')
            return bad_usage(demo, flag, "'%s' is negative; use %ld to %ld", text, min, max);
        return bad_usage(demo, flag, "'%s' is not a whole number", text);
    }
    errno = 0;
    unsigned long long value = strtoull(text, NULL, 10);
    if (errno == ERANGE || value > (unsigned long long)max)
        return bad_usage(demo, flag, "'%s' is too many; the limit is %ld", text, max);
    if ((long)value < min)
        return bad_usage(demo, flag, "'%s' is too few; use %ld to %ld", text, min, max);
    *out = (long)value;
    return 0;
}

/* A --tasks list, e.g. "10,100,1000": each a count in range. */
static int parse_sizes(const struct demo_info *demo, const char *text, struct options *out)
{
    char copy[256];
    if (strlen(text) >= sizeof copy)
        return bad_usage(demo, "--tasks", "the list is too long");
    snprintf(copy, sizeof copy, "%s", text); /* fits: checked above */
    out->size_count = 0;
    char *saveptr = NULL;
    for (char *item = strtok_r(copy, ",", &saveptr); item != NULL; item = strtok_r(NULL, ",", &saveptr)) {
        long value = 0;
        int status = parse_count(demo, "--tasks", item, 1, OPTIONS_MAX_TASKS, &value);
        if (status != 0)
            return status;
        if (out->size_count == OPTIONS_MAX_SIZES)
            return bad_usage(demo, "--tasks", "at most %d sizes", OPTIONS_MAX_SIZES);
        out->sizes[out->size_count++] = (size_t)value;
    }
    if (out->size_count == 0)
        return bad_usage(demo, "--tasks", "needs at least one size");
    out->tasks = out->sizes[0];
    return 0;
}

static int parse_seconds(const struct demo_info *demo, const char *flag, const char *text, double *out)
{
    char *end;
    errno = 0;
    double value = strtod(text, &end);
    if (text[0] == '\0' || *end != '\0' || end == text)
        return bad_usage(demo, flag, "'%s' is not a number", text);
    if (!isfinite(value))
        return bad_usage(demo, flag, "'%s' is not a finite duration", text);
    if (value <= 0.0)
        return bad_usage(demo, flag, "'%s' must be more than 0", text);
    if (value > OPTIONS_MAX_SECONDS)
        return bad_usage(demo, flag, "'%s' is too long; the limit is %g s", text, OPTIONS_MAX_SECONDS);
    *out = value;
    return 0;
}

static int parse_strategies(const struct demo_info *demo, const char *text, struct options *out)
{
    const char *flag = "--strategies";
    char copy[256];
    if (text[0] == '\0')
        return bad_usage(demo, flag, "needs at least one strategy");
    if (strlen(text) >= sizeof copy)
        return bad_usage(demo, flag, "the list is too long");
    snprintf(copy, sizeof copy, "%s", text); /* fits: checked above */
    out->strategy_count = 0;
    char *saveptr = NULL;
    for (char *name = strtok_r(copy, ",", &saveptr); name != NULL; name = strtok_r(NULL, ",", &saveptr)) {
        const struct strategy *s = NULL;
        for (const struct strategy *const *known = known_strategies(demo); *known != NULL && s == NULL;
             known++)
            if (strcmp((*known)->name, name) == 0)
                s = *known;
        if (s == NULL)
            return bad_usage(demo, flag, "unknown strategy '%s' (see --help)", name);
        for (size_t i = 0; i < out->strategy_count; i++)
            if (out->strategies[i] == s)
                return bad_usage(demo, flag, "'%s' is listed twice", name);
        if (out->strategy_count == HARNESS_MAX_STRATEGIES)
            return bad_usage(demo, flag, "at most %d strategies", HARNESS_MAX_STRATEGIES);
        out->strategies[out->strategy_count++] = s;
    }
    if (out->strategy_count == 0)
        return bad_usage(demo, flag, "needs at least one strategy");
    return 0;
}

/* One CPU number out of a --cpus list, allowed for this process. */
static int parse_cpu(const struct demo_info *demo, const char *text, const struct cpu_list *allowed, int *out)
{
    const char *flag = "--cpus";
    long cpu;
    if (text[0] == '\0' || strspn(text, "0123456789") != strlen(text))
        return bad_usage(demo, flag, "'%s' is not a CPU number (use e.g. 0 or 0,1 or 0-3)", text);
    errno = 0;
    cpu = strtol(text, NULL, 10);
    if (errno == ERANGE || cpu >= CPU_LIST_MAX || !cpu_list_contains(allowed, (int)cpu)) {
        char list[256];
        cpu_list_format(allowed, list, sizeof list);
        return bad_usage(demo, flag, "CPU %s is not one this process may use (allowed: %s)", text, list);
    }
    *out = (int)cpu;
    return 0;
}

static int parse_cpus(const struct demo_info *demo, const char *text, struct options *out)
{
    const char *flag = "--cpus";
    struct cpu_list allowed;
    char copy[256];
    if (machine_allowed_cpus(&allowed) != 0)
        return bad_usage(demo, flag, "cannot read this process's CPUs: %s", strerror(errno));
    if (text[0] == '\0')
        return bad_usage(demo, flag, "needs a CPU list, e.g. 0 or 0,1 or 0-3");
    if (strlen(text) >= sizeof copy)
        return bad_usage(demo, flag, "the list is too long");
    snprintf(copy, sizeof copy, "%s", text); /* fits: checked above */
    bool chosen[CPU_LIST_MAX] = {false};
    char *saveptr = NULL;
    for (char *item = strtok_r(copy, ",", &saveptr); item != NULL; item = strtok_r(NULL, ",", &saveptr)) {
        char *dash = strchr(item, '-');
        int first = 0, last = 0, status;
        if (dash != NULL)
            *dash = '\0';
        if ((status = parse_cpu(demo, item, &allowed, &first)) != 0)
            return status;
        last = first;
        if (dash != NULL && (status = parse_cpu(demo, dash + 1, &allowed, &last)) != 0)
            return status;
        if (last < first)
            return bad_usage(demo, flag, "the range %d-%d runs backwards", first, last);
        for (int cpu = first; cpu <= last; cpu++) {
            if (chosen[cpu])
                return bad_usage(demo, flag, "CPU %d is listed twice", cpu);
            if (!cpu_list_contains(&allowed, cpu))
                return bad_usage(demo, flag, "CPU %d is not one this process may use", cpu);
            chosen[cpu] = true;
        }
    }
    out->cpus.count = 0;
    for (int cpu = 0; cpu < CPU_LIST_MAX; cpu++)
        if (chosen[cpu])
            out->cpus.ids[out->cpus.count++] = cpu;
    if (out->cpus.count == 0)
        return bad_usage(demo, flag, "needs a CPU list, e.g. 0 or 0,1 or 0-3");
    out->cpus_given = true;
    return 0;
}

/* Stores the value of one of the demo's own flags. */
static int set_demo_flag(const struct demo_info *demo, const struct demo_flag *f, const char *value)
{
    char flag[48];
    snprintf(flag, sizeof flag, "--%s", f->name);
    switch (f->kind) {
    case DEMO_FLAG_SWITCH:
        *(bool *)f->target = true;
        return 0;
    case DEMO_FLAG_TEXT:
        if (value[0] == '\0')
            return bad_usage(demo, flag, "needs a value, got an empty string");
        *(const char **)f->target = value;
        return 0;
    case DEMO_FLAG_SECONDS:
        return parse_seconds(demo, flag, value, (double *)f->target);
    case DEMO_FLAG_CHOICE:
        for (const char *const *choice = f->choices; *choice != NULL; choice++)
            if (strcmp(value, *choice) == 0) {
                *(const char **)f->target = *choice;
                return 0;
            }
        return bad_usage(demo, flag, "'%s' is not one of the choices (see --help)", value);
    case DEMO_FLAG_FRACTION: {
        char *end;
        double fraction = strtod(value, &end);
        if (value[0] == '\0' || *end != '\0' || !isfinite(fraction))
            return bad_usage(demo, flag, "'%s' is not a number", value);
        if (fraction < 0.0 || fraction >= 1.0)
            return bad_usage(demo, flag, "'%s' must be from 0 up to (not including) 1", value);
        *(double *)f->target = fraction;
        return 0;
    }
    }
    return 0;
}

/* Colour only on a terminal that shows it: TERM=dumb (Emacs's shell, some
 * editors' and CI consoles) prints escapes as text, and NO_COLOR (set and
 * not empty, https://no-color.org) or --no-color asks for none. */
static bool color_wanted(bool no_color_flag)
{
    const char *no_color = getenv("NO_COLOR");
    const char *term = getenv("TERM");
    bool dumb = term != NULL && strcmp(term, "dumb") == 0;
    return !no_color_flag && isatty(STDOUT_FILENO) && !dumb && (no_color == NULL || no_color[0] == '\0');
}

/* ATONCE_DETAILS=ask only where there is a keyboard to answer and a
 * screen to fit: both stdin and stdout are terminals. */
static enum options_details details_from_env(void)
{
    const char *details = getenv("ATONCE_DETAILS");
    if (details != NULL && strcmp(details, "omit") == 0)
        return DETAILS_OMIT;
    if (details != NULL && strcmp(details, "ask") == 0 && isatty(STDIN_FILENO) && isatty(STDOUT_FILENO))
        return DETAILS_ASK;
    return DETAILS_ALL;
}

/* Fills what the command line did not give. Returns 0 or an exit status. */
static int apply_defaults(const struct demo_info *demo, struct options *out, bool runs_given,
                          bool warmup_given, bool no_color)
{
    out->color = color_wanted(no_color);
    out->details = details_from_env();
    const char *measured = getenv("ATONCE_MEASURED"); /* set by the tour; lib/demo.h */
    out->measured_file = measured != NULL && measured[0] != '\0' ? measured : NULL;
    if (!demo->harness)
        return 0;
    if (!out->cpus_given && machine_allowed_cpus(&out->cpus) != 0)
        return bad_usage(demo, "--cpus", "cannot read this process's CPUs: %s", strerror(errno));
    if (!out->tasks_given) {
        size_t tasks = out->quick && demo->quick_tasks != 0 ? demo->quick_tasks : demo->default_tasks;
        out->tasks = tasks != 0 ? tasks : out->cpus.count; /* 0: one task per CPU */
    }
    if (!out->seconds_given)
        out->seconds = out->quick ? demo->quick_seconds : demo->default_seconds;
    if (!runs_given)
        out->runs = out->quick ? 1 : demo->default_runs > 0 ? demo->default_runs : 3;
    if (!warmup_given)
        out->warmup = out->quick ? 0 : demo->default_runs > 0 ? demo->default_warmup : 1;
    /* A waiting task takes as long on its first run as on any other, but a
     * computing one is slowed now and then (a late start, a CPU the host
     * gives to someone else): under --quick, the median of 3 short runs after
     * a warm-up showed the lesson far more often than one longer run
     * (bench/fidelity.py). */
    out->compute_runs = out->quick && !runs_given ? QUICK_COMPUTE_RUNS : out->runs;
    out->compute_warmup = out->quick && !warmup_given ? QUICK_COMPUTE_WARMUP : out->warmup;
    int status;
    if (out->strategy_count == 0 && (status = parse_strategies(demo, demo->default_strategies, out)) != 0)
        return status; /* the demo's own default is wrong: a bug, caught on the first run */
    if (out->json && out->csv)
        return bad_usage(demo, "--csv", "cannot be combined with --json");
    out->color = !out->json && !out->csv && color_wanted(no_color);
    return 0;
}

int options_parse(int argc, char **argv, const struct demo_info *demo, struct options *out)
{
    memset(out, 0, sizeof *out);
    i18n_init();
    if (output_guard(demo->name) != 0) /* stdout closed: nothing we print could be read */
        return 1;
    bool runs_given = false, warmup_given = false, no_color = false;
    long value = 0;
    int status = 0, opt;
    struct option table[MAX_OPTIONS];
    build_table(demo, table);
    opterr = 0; /* we write our own messages, naming the flag */
    optind = 0; /* 0, not 1: glibc then starts afresh (tests parse many times) */
    const char *short_options = demo->harness ? ":n:s:r:h" : ":h";
    while (status == 0 && (opt = getopt_long(argc, argv, short_options, table, NULL)) != -1) {
        switch (opt) {
        case 'n':
            if (demo->tasks_list && strchr(optarg, ',') != NULL)
                status = parse_sizes(demo, optarg, out);
            else if ((status = parse_count(demo, "--tasks", optarg, 1, OPTIONS_MAX_TASKS, &value)) == 0) {
                out->tasks = (size_t)value;
                out->size_count = 0; /* the last --tasks wins, as for every flag: no list now */
            }
            out->tasks_given = true;
            break;
        case 's':
            status = parse_seconds(demo, "--seconds", optarg, &out->seconds);
            out->seconds_given = true;
            break;
        case 'r':
            if ((status = parse_count(demo, "--runs", optarg, 1, OPTIONS_MAX_RUNS, &value)) == 0)
                out->runs = (int)value;
            runs_given = true;
            break;
        case OPT_WARMUP:
            if ((status = parse_count(demo, "--warmup", optarg, 0, OPTIONS_MAX_WARMUP, &value)) == 0)
                out->warmup = (int)value;
            warmup_given = true;
            break;
        case OPT_STRATEGIES:
            if (demo->no_strategies)
                status = bad_usage(demo, "--strategies", "not available in this demo: it measures every row");
            else
                status = parse_strategies(demo, optarg, out);
            out->strategies_given = true;
            break;
        case OPT_CPUS:
            status = parse_cpus(demo, optarg, out);
            break;
        case OPT_QUICK:
            out->quick = true;
            break;
        case OPT_JSON:
            out->json = true;
            break;
        case OPT_CSV:
            if (demo->no_csv)
                status = bad_usage(demo, "--csv", "not available in this demo; use --json");
            out->csv = true;
            break;
        case OPT_TIMELINE_JSON:
            out->timeline_json = true;
            break;
        case OPT_FORCE:
            out->force = true;
            break;
        case OPT_TRACE:
            if (demo->no_trace)
                status = bad_usage(demo, "--trace", "not available in this demo");
            else if (optarg[0] == '\0')
                status = bad_usage(demo, "--trace", "needs a file name");
            out->trace = optarg;
            break;
        case OPT_NO_COLOR:
            no_color = true;
            break;
        case 'h':
            print_help(demo);
            return 0;
        case OPT_VERSION:
            printf("%s (atonce) %s\n", demo->name, ATONCE_VERSION);
            return 0;
        case ':':
            return bad_usage(demo, flag_name(demo, optopt), "needs a value");
        case '?':
            return refuse_unrecognized(demo, table, argv[optind - 1], optopt);
        default:
            status = set_demo_flag(demo, &demo->flags[opt - OPT_DEMO_FLAG], optarg);
        }
    }
    if (status != 0)
        return status;
    if (optind < argc)
        return bad_usage(demo, argv[optind], "unexpected argument (this demo takes only options)");
    out->runs_given = runs_given;
    out->warmup_given = warmup_given;
    status = apply_defaults(demo, out, runs_given, warmup_given, no_color);
    if (status != 0)
        return status;
    if (out->trace != NULL &&
        (status = output_file_check(out->trace)) != 0) { /* before, not after, the run */
        options_say_cannot_write(demo, out->trace, strerror(-status));
        return 1;
    }
    interrupt_install(demo->name); /* the demo runs from here: Ctrl-C must leave no child behind */
    return OPTIONS_RUN;
}
