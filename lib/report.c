#include "report.h"

#include "i18n.h"
#include "stats.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#define COLUMNS           80   /* every line fits a terminal of 80 columns */
#define TIMELINE_WIDTH    56   /* columns of time; with the labels, 80 in all */
#define TIMELINE_MAX_ROWS 10   /* tasks shown per strategy */
#define SPREAD_WARNING    0.10 /* runs spread over more than 10 % of the median */
#define BUSY_WARNING      0.90 /* sequential computing on less than 90 % of a CPU */

/* ANSI colours, used only when opts->color (a terminal, no NO_COLOR). */
static const char *paint(const struct options *opts, const char *code)
{
    return opts->color ? code : "";
}
#define BOLD   "\033[1m"
#define RED    "\033[1;31m"
#define GREEN  "\033[32m"
#define YELLOW "\033[33m"
#define RESET  "\033[0m"

/* "median of 3 runs after 1 warm-up" */
static void describe_runs(int runs, int warmup, char *buf, size_t size)
{
    char measured[32], warmups[32];
    snprintf(measured, sizeof measured, ngettext("%d run", "%d runs", runs), runs);
    snprintf(warmups, sizeof warmups, ngettext("%d warm-up", "%d warm-ups", warmup), warmup);
    /* TRANSLATORS: "median of 3 runs after 1 warm-up" */
    snprintf(buf, size, _("median of %s after %s"), measured, warmups);
}

/* The runs behind a comparison's medians. */
static void comparison_runs(const struct comparison *c, char *buf, size_t size)
{
    describe_runs(c->runs, c->warmup, buf, size);
}

void report_header(const struct demo_info *demo, const struct options *opts, const struct machine *m,
                   const struct comparison *first)
{
    if (opts->details != DETAILS_ALL) /* the tour showed the machine once, at its start */
        return;
    char machine[512], runs[64];
    machine_describe(m, COLUMNS, machine, sizeof machine);
    if (first != NULL)
        comparison_runs(first, runs, sizeof runs);
    else
        describe_runs(opts->runs, opts->warmup, runs, sizeof runs);
    printf("%s%s%s: %s\n%s", paint(opts, BOLD), demo->name, paint(opts, RESET), runs, machine);
}

/* c's CPU list in what is left of a line after `around`, the rest of the
 * line, is printed: "(0,2,4,...)" rather than a line too wide. */
static void brief_cpus(const struct comparison *c, const char *around, char *buf, size_t size)
{
    size_t used = i18n_columns(around, strlen(around));
    cpu_list_format_brief(&c->cpus, used < COLUMNS ? COLUMNS - used : 0, buf, size);
}

void report_workload_title(const struct comparison *c, const struct comparison *first,
                           const struct options *opts)
{
    char what[128], cpus[256], runs[64] = "", first_runs[64] = "", around[192], on[32];
    c->workload.kind->describe(&c->workload, c->ntasks, what, sizeof what);
    i18n_count_cpus(c->cpus.count, on, sizeof on);
    /* TRANSLATORS: "2 tasks, each sleeps 0.1 s, on 2 CPUs (0,1)" */
    const char *title = _("%s, on %s (%s)");
    snprintf(around, sizeof around, title, what, on, "");
    brief_cpus(c, around, cpus, sizeof cpus);
    comparison_runs(c, runs, sizeof runs);
    comparison_runs(first, first_runs, sizeof first_runs);
    /* --quick: computing takes more, shorter runs. Under the tour a screen
     * at a time leaves them out (opts->details). */
    bool other_runs = strcmp(runs, first_runs) != 0 && opts->details == DETAILS_ALL;
    printf("\n%s", paint(opts, BOLD));
    printf(title, what, on, cpus);
    printf("%s%s%s\n", other_runs ? "\n" : "", other_runs ? runs : "", paint(opts, RESET));
}

/* "9.97x", or "-" when there is no sequential run to compare with. */
static void format_speedup(double speedup, char *buf, size_t size)
{
    if (speedup > 0.0)
        snprintf(buf, size, "%.2fx", stats_round_down(speedup, 2));
    else
        snprintf(buf, size, "-");
}

static void print_row(const struct comparison *c, const struct measurement *m, const struct options *opts)
{
    double speedup = harness_speedup(c, m), ideal = harness_ideal_speedup(c, m);
    double cpu = m->user + m->sys;
    char speed[32], range[48], eff[16], best[16];
    format_speedup(speedup, speed, sizeof speed);
    if (ideal == floor(ideal))
        snprintf(best, sizeof best, "%.0fx", ideal);
    else /* fixed shares (mpi_cpu): 3 tasks on 2 ranks can reach 1.50x */
        snprintf(best, sizeof best, "%.2fx", ideal);
    int decimals = m->wall_max < 99.9995 ? 3 : 1; /* "100.0-999.9" fits the column as "0.100-9.999" does */
    snprintf(range, sizeof range, "%.*f-%.*f", decimals, m->wall_min, decimals, m->wall_max);
    if (speedup > 0.0)
        snprintf(eff, sizeof eff, "%.0f%%", stats_round_down(100.0 * stats_efficiency(speedup, ideal), 0));
    else
        snprintf(eff, sizeof eff, "-");
    /* "MISMATCH" starts a column early: with the widest figures the row still fits 80 columns */
    printf("%-11s %7.3f  %-13s %6.3f %5.0f%% %8s %6s %5s %s%s%s\n", m->strategy->name, m->wall, range, cpu,
           m->wall > 0.0 ? stats_round_down(100.0 * cpu / m->wall, 0) : 0.0, speed, best, eff,
           paint(opts, m->checksum_ok ? GREEN : RED), m->checksum_ok ? " ok" : "MISMATCH",
           paint(opts, RESET));
}

static void print_wrapped(const char *text, int length, int indent, const char *on, const char *off);

/* Appends printf-style text to buf, which holds *length characters; the
 * text is cut at the end of buf. */
static void append(char *buf, size_t size, int *length, const char *format, ...)
{
    va_list args;
    va_start(args, format);
    int added = vsnprintf(buf + *length, size - (size_t)*length, format, args);
    va_end(args);
    if (added > 0)
        *length = *length + added < (int)size ? *length + added : (int)size - 1;
}

/* "a task waited for a CPU, the CPU was slower": what set runs aside. */
static void describe_disturbance(unsigned disturbed, char *buf, size_t size)
{
    static const struct {
        unsigned bit;
        const char *text;
    } reasons[] = {{DISTURB_WAITED, N_("a task waited for a CPU")},
                   {DISTURB_LATE, N_("a task started or ended late")},
                   {DISTURB_SLOWED, N_("the CPU was slower")}};
    int length = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < sizeof reasons / sizeof reasons[0]; i++)
        if (disturbed & reasons[i].bit)
            append(buf, size, &length, "%s%s", length > 0 ? ", " : "", _(reasons[i].text));
}

/* "set aside as not fair (a task waited for a CPU): threads 2 of 5 runs;
 * the medians are of the rest". */
static void print_set_aside(const struct comparison *c)
{
    char line[512], why[96];
    unsigned disturbed = 0;
    for (size_t i = 0; i < c->count; i++)
        disturbed |= c->results[i].set_aside > 0 ? c->results[i].set_aside_why : 0;
    if (disturbed == 0)
        return;
    describe_disturbance(disturbed, why, sizeof why);
    int length = 0;
    append(line, sizeof line, &length, _("set aside as not fair (%s):"), why);
    const char *separator = " ";
    for (size_t i = 0; i < c->count; i++) {
        const struct measurement *m = &c->results[i];
        if (m->set_aside > 0) {
            append(line, sizeof line, &length, "%s", separator);
            /* TRANSLATORS: "threads 2 of 5 runs" were set aside */
            append(line, sizeof line, &length, _("%s %d of %d runs"), m->strategy->name, m->set_aside,
                   m->runs);
            separator = ", ";
        }
    }
    append(line, sizeof line, &length, _("; the medians are of the rest"));
    print_wrapped(line, length, 0, "", "");
}

/* Each warning in two lines: what was seen, then what it means. Under the
 * tour (opts->details) in one, the first: a short screen, and the verdict
 * below says what the busy machine did to the lesson. */
static void print_warnings(const struct comparison *c, const struct options *opts)
{
    bool brief = opts->details != DETAILS_ALL;
    const char *yellow = paint(opts, YELLOW), *reset = paint(opts, RESET);
    print_set_aside(c);
    for (size_t i = 0; i < c->count; i++) {
        const struct measurement *m = &c->results[i];
        double spread = m->wall > 0.0 ? (m->wall_max - m->wall_min) / m->wall : 0.0;
        if (spread > SPREAD_WARNING && m->wall_max - m->wall_min > 0.005)
            printf(brief ? _("%swarning:%s %s runs ranged %.3f-%.3f s (%.0f%% of the median)\n")
                         : _("%swarning:%s %s runs ranged %.3f-%.3f s (%.0f%% of the median):\n"
                             "         the machine may be busy; rerun, or raise --runs\n"),
                   yellow, reset, m->strategy->name, m->wall_min, m->wall_max, 100.0 * spread);
    }
    /* What else took the CPUs, as measured around every run (lib/load). */
    char why[VERDICT_SIZE];
    enum verdict_cause cause = verdict_cause(c, why, sizeof why);
    if (cause == CAUSE_QUOTA || cause == CAUSE_OTHERS || cause == CAUSE_STEAL)
        printf(brief ? _("%swarning:%s %s\n")
                     : _("%swarning:%s %s:\n         these speedups are not what the CPUs alone can do\n"),
               yellow, reset, why);
    /* One task computing alone keeps one CPU busy all the time, unless
     * other programs take turns on it: then the machine is busy. */
    const struct measurement *alone = harness_find(c, "sequential");
    double use = alone != NULL && alone->wall > 0.0 ? (alone->user + alone->sys) / alone->wall : 1.0;
    if (workload_computes(&c->workload) && use < BUSY_WARNING && cause != CAUSE_OTHERS)
        printf(brief
                   ? _("%swarning:%s sequential computed on only %.0f%% of a CPU: the machine is busy\n")
                   : _("%swarning:%s sequential computed on only %.0f%% of a CPU: other programs are using\n"
                       "         the CPUs: these speedups are not the machine's; rerun when it is quiet\n"),
               yellow, reset, stats_round_down(100.0 * use, 0));
}

void report_table(const struct comparison *c, const struct options *opts)
{
    printf("%s%-11s %7s  %-13s %6s %6s %8s %6s %5s  %s%s\n", paint(opts, BOLD), "strategy", "wall s",
           "min-max s", "cpu s", "use", "speedup", "ideal", "eff", "check", paint(opts, RESET));
    for (size_t i = 0; i < c->count; i++)
        print_row(c, &c->results[i], opts);
    char checksum[20];
    snprintf(checksum, sizeof checksum, "%016" PRIx64, c->count > 0 ? c->results[0].checksum : 0);
    if (harness_checksums_ok(c) && c->count > 0) {
        if (opts->details == DETAILS_ALL) /* else the check column's "ok" says it on a short screen */
            printf(_("checksum %s in every run of every strategy: all did the same work.\n"), checksum);
    } else
        printf(_("%sMISMATCH:%s a strategy computed something else: a bug, not a timing.\n"),
               paint(opts, RED), paint(opts, RESET));
    print_warnings(c, opts);
}

void report_legend(void)
{
    printf("\n");
    printf(_("use = CPU time / wall time: 100%% is one CPU busy the whole time; over 100%%\n"
             "means more than one CPU was busy at once. speedup = sequential wall / this\n"
             "wall; ideal = the best this strategy could do; eff = speedup / ideal.\n"));
}

/* The column where time t falls on a timeline `total` seconds wide. */
static int timeline_column(double t, double total)
{
    int col = (int)lround(t / total * TIMELINE_WIDTH);
    return col < 0 ? 0 : col > TIMELINE_WIDTH ? TIMELINE_WIDTH : col;
}

static void print_timeline_row(const char *label, size_t task, const struct span *span, double total)
{
    char bar[TIMELINE_WIDTH + 1];
    /* Columns [from, to): one task ending where the next begins shares no column. */
    int from = timeline_column(span->start, total);
    int to = timeline_column(span->end, total);
    if (to <= from) /* a task too short to see still gets one mark */
        to = from + 1 <= TIMELINE_WIDTH ? from + 1 : from;
    /* Of the columns the task was open, the share it spent on a CPU gets '#',
     * spread evenly: we know how much it ran, not exactly when. */
    double open = span->end - span->start;
    double share = open > 0.0 ? fmin(fmax(span->cpu / open, 0.0), 1.0) : 1.0;
    for (int col = 0; col < TIMELINE_WIDTH; col++) {
        int k = col - from; /* the column's place inside the span */
        bool running = floor((k + 1) * share + 0.5) > floor(k * share + 0.5);
        bar[col] = col < from || col >= to ? ' ' : running ? '#' : '-';
    }
    bar[TIMELINE_WIDTH] = '\0';
    printf("%-11s %4zu |%s|\n", label, task, bar);
}

void report_timeline(const struct comparison *c, const struct options *opts)
{
    double total = 0.0; /* one scale for all: the longest run ends at the right edge */
    for (size_t i = 0; i < c->count; i++) {
        if (c->results[i].wall > total)
            total = c->results[i].wall;
        for (size_t t = 0; t < c->ntasks; t++)
            if (c->results[i].spans[t].end > total)
                total = c->results[i].spans[t].end;
    }
    if (total <= 0.0)
        return;
    char cpus[256], around[128], on[32];
    const char *kind = c->workload.kind->name;
    i18n_count_cpus(c->cpus.count, on, sizeof on);
    /* TRANSLATORS: the caption's first line, bold: "timeline of cpu on 2 CPUs (0,1)" */
    const char *title = _("timeline of %s on %s (%s)");
    /* TRANSLATORS: the rest of the first line and three more, each under 80 columns */
    const char *caption =
        _(": one row per task, time across from 0\n"
          "to %.3f s (median run). A row runs from the task's start to its end: # on a\n"
          "CPU, - waiting (for a timer, a child or its turn); the share of # is the task's\n"
          "CPU time / its time open, spread evenly (how much it ran, not exactly when)\n");
    char first_line[256];
    snprintf(around, sizeof around, title, kind, on, "");
    snprintf(first_line, sizeof first_line, "%s%.*s", around, (int)strcspn(caption, "\n"), caption);
    brief_cpus(c, first_line, cpus, sizeof cpus);
    printf("\n%s", paint(opts, BOLD));
    printf(title, kind, on, cpus);
    printf("%s", paint(opts, RESET));
    printf(caption, total);
    printf("%-11s %4s +%.*s+\n", "strategy", "task", TIMELINE_WIDTH,
           "--------------------------------------------------------------------------------");
    for (size_t i = 0; i < c->count; i++) {
        const struct measurement *m = &c->results[i];
        size_t shown = c->ntasks < TIMELINE_MAX_ROWS ? c->ntasks : TIMELINE_MAX_ROWS;
        for (size_t t = 0; t < shown; t++)
            print_timeline_row(t == 0 ? m->strategy->name : "", t, &m->spans[t], total);
        if (shown < c->ntasks) {
            printf("%-11s %4s  ", "", "...");
            printf(_("(%zu more tasks not shown)\n"), c->ntasks - shown);
        }
    }
}

/* Where `text` (`length` bytes) breaks to fit `width` columns: `length`
 * when it fits, else at its last space that fits (a Hangul syllable takes
 * two columns, lib/i18n.h), or 0 when its first word is wider. */
static int break_at(const char *text, int length, int width)
{
    if ((int)i18n_columns(text, (size_t)length) <= width)
        return length;
    int cut = 0;
    for (int i = 0; i < length; i++)
        if (text[i] == ' ' && (int)i18n_columns(text, (size_t)i) <= width)
            cut = i;
    return cut;
}

/* Prints `text` from column `indent`, breaking it at spaces so that no
 * line is wider than 80 columns; later lines start at column `indent` + 2. */
static void print_wrapped(const char *text, int length, int indent, const char *on, const char *off)
{
    int width = 80 - indent, cut;
    while ((cut = break_at(text, length, width)) < length && cut > 0) { /* 0: one word longer than the line */
        printf("%*s%s%.*s%s\n", indent, "", on, cut, text, off);
        text += cut + 1;
        length -= cut + 1;
        if (indent < 4) {
            indent += 2;
            width -= 2;
        }
    }
    printf("%*s%s%.*s%s\n", indent, "", on, length, text, off);
}

void report_verdicts(char verdicts[][VERDICT_SIZE], size_t count, const struct options *opts)
{
    printf("\n");
    for (size_t i = 0; i < count; i++) {
        /* "what was measured -> what it means": the meaning on a line of its
         * own, and each wrapped to 80 columns */
        const char *arrow = strstr(verdicts[i], " -> ");
        int measured = arrow != NULL ? (int)(arrow - verdicts[i]) : (int)strlen(verdicts[i]);
        print_wrapped(verdicts[i], measured, 0, paint(opts, BOLD), paint(opts, RESET));
        if (arrow != NULL)
            print_wrapped(arrow + 1, (int)strlen(arrow + 1), 2, "", "");
    }
}

void report_note(const struct demo_info *demo)
{
    printf("\n");
    options_print_note(demo->note);
}

/* ---- the trace ------------------------------------------------------- */

struct trace_event {
    double ts, dur; /* microseconds */
    size_t task;
    int pid, tid;
    bool async; /* overlaps an earlier task on the same thread (an event loop's) */
    const struct comparison *c;
    const struct measurement *m;
};

static int by_start(const void *a, const void *b)
{
    double x = ((const struct trace_event *)a)->ts, y = ((const struct trace_event *)b)->ts;
    return (x > y) - (x < y);
}

static int by_thread_then_start(const void *a, const void *b)
{
    const struct trace_event *x = a, *y = b;
    if (x->pid != y->pid)
        return (x->pid > y->pid) - (x->pid < y->pid);
    if (x->tid != y->tid)
        return (x->tid > y->tid) - (x->tid < y->tid);
    return by_start(a, b);
}

/* "X" events on one thread must not overlap (they may only nest), but an
 * event loop's tasks do: mark each task that starts before an earlier one
 * on its thread has ended, to be written as an async begin/end pair. */
static void mark_overlaps(struct trace_event *events, size_t n)
{
    qsort(events, n, sizeof *events, by_thread_then_start);
    double busy_until = 0.0;
    for (size_t i = 0; i < n; i++) {
        bool same_thread = i > 0 && events[i].pid == events[i - 1].pid && events[i].tid == events[i - 1].tid;
        if (!same_thread)
            busy_until = 0.0;
        events[i].async = same_thread && events[i].ts < busy_until;
        if (!events[i].async)
            busy_until = events[i].ts + events[i].dur;
    }
}

int report_trace(FILE *to, const struct comparison *comparisons, size_t count)
{
    size_t total = 0;
    for (size_t i = 0; i < count; i++)
        total += comparisons[i].count * comparisons[i].ntasks;
    struct trace_event *events = calloc(total > 0 ? total : 1, sizeof *events);
    if (events == NULL)
        return -ENOMEM;
    size_t n = 0;
    double offset = 0.0; /* where the next strategy's run starts on the trace, in seconds */
    for (size_t i = 0; i < count; i++)
        for (size_t r = 0; r < comparisons[i].count; r++) {
            const struct measurement *m = &comparisons[i].results[r];
            for (size_t t = 0; t < comparisons[i].ntasks; t++) {
                const struct span *s = &m->spans[t];
                events[n++] = (struct trace_event){.ts = (offset + s->start) * 1e6,
                                                   .dur = (s->end - s->start) * 1e6,
                                                   .task = t,
                                                   .pid = s->pid,
                                                   .tid = s->tid,
                                                   .c = &comparisons[i],
                                                   .m = m};
            }
            offset += m->wall * 1.1; /* a small gap between strategies */
        }
    mark_overlaps(events, n);
    qsort(events, n, sizeof *events, by_start);
    fputs("{\"traceEvents\": [\n", to);
    for (size_t i = 0; i < n; i++) {
        const struct trace_event *e = &events[i];
        char cpus[256], args[512];
        cpu_list_format(&e->c->cpus, cpus, sizeof cpus);
        snprintf(args, sizeof args,
                 "\"pid\": %d, \"tid\": %d, \"args\": {\"strategy\": \"%s\", "
                 "\"workload\": \"%s\", \"cpus\": \"%s\"}",
                 e->pid, e->tid, e->m->strategy->name, e->c->workload.kind->name, cpus);
        const char *comma = i + 1 < n ? "," : "";
        double dur = e->dur > 0.0 ? e->dur : 0.0;
        if (!e->async)
            fprintf(to,
                    "  {\"name\": \"task %zu\", \"cat\": \"%s\", \"ph\": \"X\", \"ts\": %.3f, \"dur\": %.3f, "
                    "%s}%s\n",
                    e->task, e->m->strategy->name, e->ts, dur, args, comma);
        else /* an async pair: its own row in Perfetto, under the same process */
            fprintf(
                to,
                "  {\"name\": \"task %zu\", \"cat\": \"%s\", \"ph\": \"b\", \"id\": %zu, \"ts\": %.3f, %s},\n"
                "  {\"name\": \"task %zu\", \"cat\": \"%s\", \"ph\": \"e\", \"id\": %zu, \"ts\": %.3f, "
                "%s}%s\n",
                e->task, e->m->strategy->name, i, e->ts, args, e->task, e->m->strategy->name, i, e->ts + dur,
                args, comma);
    }
    fputs("], \"displayTimeUnit\": \"ms\"}\n", to);
    free(events);
    return 0;
}

/* ---- JSON and CSV ---------------------------------------------------- */

void report_json_string(FILE *to, const char *text)
{
    fputc('"', to);
    for (const unsigned char *p = (const unsigned char *)text; *p != '\0'; p++) {
        if (*p == '"' || *p == '\\')
            fprintf(to, "\\%c", *p);
        else if (*p == '\n')
            fputs("\\n", to);
        else if (*p == '\t')
            fputs("\\t", to);
        else if (*p < 0x20)
            fprintf(to, "\\u%04x", *p);
        else
            fputc(*p, to);
    }
    fputc('"', to);
}

/* A number, or null where JSON has no word for it (infinity, NaN). */
static void json_number(FILE *to, double value)
{
    if (isfinite(value))
        fprintf(to, "%.9g", value);
    else
        fputs("null", to);
}

static void json_cpu_list(FILE *to, const struct cpu_list *cpus)
{
    fputc('[', to);
    for (size_t i = 0; i < cpus->count; i++)
        fprintf(to, "%s%d", i > 0 ? ", " : "", cpus->ids[i]);
    fputc(']', to);
}

/* "tasks": [...]: each task's span, CPU and lane: who ran it, numbered in
 * order of first appearance (sequential: one lane; threads: one each). */
static void json_tasks(FILE *to, const struct comparison *c, const struct measurement *m)
{
    size_t *lanes = calloc(c->ntasks > 0 ? c->ntasks : 1, sizeof *lanes), next_lane = 0;
    fputs(", \"tasks\": [", to);
    for (size_t t = 0; t < c->ntasks; t++) {
        const struct span *s = &m->spans[t];
        size_t lane = next_lane;
        for (size_t earlier = 0; earlier < t; earlier++) /* the same thread ran an earlier task? */
            if (m->spans[earlier].pid == s->pid && m->spans[earlier].tid == s->tid) {
                lane = lanes != NULL ? lanes[earlier] : 0;
                break;
            }
        if (lane == next_lane)
            next_lane++;
        if (lanes != NULL)
            lanes[t] = lane;
        fprintf(to, "%s{\"start_s\": %.9g, \"end_s\": %.9g, \"cpu_s\": %.9g, \"lane\": %zu}",
                t > 0 ? ", " : "", s->start, s->end, s->cpu, lane);
    }
    fputc(']', to);
    free(lanes);
}

/* "load": {...}: what else took the run's CPUs, over all its measured runs. */
static void json_load(FILE *to, const struct measurement *m)
{
    const struct load *l = &m->load;
    fputs(", \"load\": {\"wall_total_s\": ", to);
    json_number(to, m->wall_total);
    fputs(", \"others_cpu_s\": ", to);
    json_number(to, l->cpus_known ? l->others_cpu : NAN);
    fputs(", \"steal_s\": ", to);
    json_number(to, l->cpus_known ? l->steal : NAN);
    fprintf(to, ", \"involuntary_switches\": %ld, \"throttled_periods\": ", l->involuntary);
    if (l->throttled_periods >= 0)
        fprintf(to, "%ld", l->throttled_periods);
    else
        fputs("null", to);
    fputs(", \"throttled_s\": ", to);
    json_number(to, l->throttled_periods >= 0 ? l->throttled : NAN);
    fputc('}', to);
}

/* "flags": [...]: what the verdict engine saw in this row's measurements. */
static void json_flags(FILE *to, const struct comparison *c, const struct measurement *m)
{
    static const struct {
        unsigned flag;
        const char *name;
    } names[] = {{FLAG_OTHERS, "others"},    {FLAG_STEAL, "steal"},  {FLAG_THROTTLED, "throttled"},
                 {FLAG_IMPOSSIBLE, "noise"}, {FLAG_SHORT, "short"},  {FLAG_WAITED, "waited"},
                 {FLAG_LATE, "late"},        {FLAG_SLOWED, "slowed"}};
    unsigned flags = verdict_row_flags(c, m);
    const char *comma = "";
    fputs(", \"flags\": [", to);
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (flags & names[i].flag) {
            fprintf(to, "%s\"%s\"", comma, names[i].name);
            comma = ", ";
        }
    fputc(']', to);
}

void report_json_load_flags(FILE *to, const struct comparison *c, const struct measurement *m)
{
    json_load(to, m);
    json_flags(to, c, m);
}

static void json_result(FILE *to, const struct comparison *c, const struct measurement *m,
                        bool per_result_workload, bool with_tasks)
{
    double speedup = harness_speedup(c, m), ideal = harness_ideal_speedup(c, m);
    char checksum[32];
    snprintf(checksum, sizeof checksum, "%016" PRIx64, m->checksum);
    fputs("{\"strategy\": ", to);
    report_json_string(to, m->strategy->name);
    if (per_result_workload) {
        fputs(", \"workload\": ", to);
        report_json_string(to, c->workload.kind->name);
        fputs(", \"cpus_allowed\": ", to);
        json_cpu_list(to, &c->cpus);
    }
    const struct {
        const char *key;
        double value;
    } numbers[] = {
        {"wall_s", m->wall},
        {"wall_min_s", m->wall_min},
        {"wall_max_s", m->wall_max},
        {"user_s", m->user},
        {"sys_s", m->sys},
        {"cpu_use", (m->user + m->sys) / m->wall},
        {"speedup", speedup > 0.0 ? speedup : NAN}, /* null without a sequential run */
        {"ideal_speedup", ideal},
        {"efficiency", speedup > 0.0 ? stats_efficiency(speedup, ideal) : NAN},
    };
    for (size_t i = 0; i < sizeof numbers / sizeof numbers[0]; i++) {
        fprintf(to, ", \"%s\": ", numbers[i].key);
        json_number(to, numbers[i].value);
    }
    fprintf(to, ", \"checksum\": \"%s\", \"checksum_ok\": %s, \"runs\": %d, \"runs_set_aside\": %d", checksum,
            m->checksum_ok ? "true" : "false", m->runs, m->set_aside);
    if (c->workload.kind->result != NULL) /* a shared counter's count: the median run's */
        fprintf(to, ", \"result\": %" PRIu64 ", \"expected_result\": %" PRIu64 ", \"runs_wrong\": %d",
                m->result, c->expected_result, m->wrong_results);
    report_json_load_flags(to, c, m);
    if (with_tasks)
        json_tasks(to, c, m);
    fputc('}', to);
}

/* A count or flag, or null when the machine could not tell. */
static void json_known(FILE *to, const char *key, int value)
{
    fprintf(to, ", \"%s\": ", key);
    if (value == MACHINE_UNKNOWN)
        fputs("null", to);
    else
        fprintf(to, "%d", value);
}

void report_json_machine(FILE *to, const struct machine *m)
{
    fputs("{\"cpus_allowed\": ", to);
    json_cpu_list(to, &m->allowed);
    json_known(to, "cpus_online", m->cpus_online);
    json_known(to, "cores", m->cores);
    json_known(to, "cores_allowed", machine_count_cores(m, &m->allowed));
    json_known(to, "packages", m->packages);
    json_known(to, "threads_per_core", m->threads_per_core);
    fputs(", \"smt\": ", to);
    fputs(m->smt == MACHINE_UNKNOWN ? "null" : m->smt ? "true" : "false", to);
    fputs(", \"performance_cpus\": ", to);
    json_cpu_list(to, &m->performance);
    fputs(", \"efficiency_cpus\": ", to);
    json_cpu_list(to, &m->efficiency);
    fputs(", \"cpu_quota\": ", to); /* CPUs' worth; 0 for none */
    json_number(to, m->quota == MACHINE_UNKNOWN ? NAN : m->quota);
    json_known(to, "cgroup_version", m->cgroup_version == 0 ? MACHINE_UNKNOWN : m->cgroup_version);
    fputs(", \"boost\": ", to);
    fputs(m->boost == MACHINE_UNKNOWN ? "null" : m->boost ? "true" : "false", to);
    fputs(", \"model\": ", to);
    if (m->model[0] != '\0')
        report_json_string(to, m->model);
    else
        fputs("null", to);
    fputs(", \"kernel\": ", to);
    if (m->kernel[0] != '\0')
        report_json_string(to, m->kernel);
    else
        fputs("null", to);
    fputc('}', to);
}

void report_json(FILE *to, const struct demo_info *demo, const struct machine *m,
                 const struct comparison *comparisons, size_t count, bool per_result_workload,
                 char verdicts[][VERDICT_SIZE], size_t verdict_count, bool with_tasks)
{
    fputs("{\"demo\": ", to);
    report_json_string(to, demo->name);
    fputs(", \"version\": ", to);
    report_json_string(to, ATONCE_VERSION);
    fputs(", \"machine\": ", to);
    report_json_machine(to, m);
    if (!per_result_workload && count > 0) {
        const struct comparison *c = &comparisons[0];
        fputs(", \"workload\": {\"kind\": ", to);
        report_json_string(to, c->workload.kind->name);
        fprintf(to, ", \"tasks\": %zu, \"seconds\": ", c->ntasks);
        json_number(to, c->workload.seconds);
        fprintf(to, ", \"units\": %" PRIu64 "}", c->workload.units);
    }
    fputs(", \"results\": [", to);
    const char *separator = "";
    for (size_t i = 0; i < count; i++)
        for (size_t r = 0; r < comparisons[i].count; r++) {
            fputs(separator, to);
            json_result(to, &comparisons[i], &comparisons[i].results[r], per_result_workload, with_tasks);
            separator = ", ";
        }
    fputs("], \"verdicts\": [", to);
    for (size_t i = 0; i < verdict_count; i++) {
        fputs(i > 0 ? ", " : "", to);
        report_json_string(to, verdicts[i]);
    }
    fputs("]}\n", to);
}

void report_csv(FILE *to, const struct comparison *comparisons, size_t count, bool per_result_workload)
{
    if (per_result_workload)
        fputs("workload,cpus_allowed,", to);
    fputs("strategy,wall_s,wall_min_s,wall_max_s,user_s,sys_s,cpu_use,speedup,ideal_speedup,"
          "efficiency,checksum,checksum_ok,runs,runs_set_aside\n",
          to);
    for (size_t i = 0; i < count; i++) {
        const struct comparison *c = &comparisons[i];
        char cpus[256];
        cpu_list_format(&c->cpus, cpus, sizeof cpus);
        for (size_t r = 0; r < c->count; r++) {
            const struct measurement *m = &c->results[r];
            double speedup = harness_speedup(c, m), ideal = harness_ideal_speedup(c, m);
            if (per_result_workload)
                fprintf(to, "%s,\"%s\",", c->workload.kind->name, cpus);
            fprintf(to, "%s,%.9g,%.9g,%.9g,%.9g,%.9g,", m->strategy->name, m->wall, m->wall_min, m->wall_max,
                    m->user, m->sys);
            if (m->wall > 0.0) /* empty, as JSON's null, where there is no number */
                fprintf(to, "%.9g", (m->user + m->sys) / m->wall);
            fputc(',', to);
            if (speedup > 0.0)
                fprintf(to, "%.9g,%.9g,%.9g,", speedup, ideal, stats_efficiency(speedup, ideal));
            else
                fprintf(to, ",%.9g,,", ideal);
            fprintf(to, "%016" PRIx64 ",%s,%d,%d\n", m->checksum, m->checksum_ok ? "true" : "false", m->runs,
                    m->set_aside);
        }
    }
}
