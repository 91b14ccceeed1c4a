/*
 * refresh: keeps the notes true. Every output block in a note is marked
 * with the command that produced it:
 *
 *   <!-- run: build/demos/cpu --cpus 0 --tasks 2 -->
 *   ```text
 *   ...what that command printed...
 *   ```
 *
 * and this program re-runs each command (as an argv array, never through a
 * shell; stdout and stderr together, NO_COLOR set) and writes the output
 * between the fences. Options after " | " in the marker keep part of it:
 *
 *   from: TEXT   start at the first line containing TEXT
 *   lines: N     keep at most N lines (a warning or a set-aside line that a
 *                run adds on a busy machine comes along, uncounted)
 *   grep: TEXT   keep only the lines containing TEXT
 *   exit: N      the command is expected to exit with N (default 0)
 *   show         put "$ command" before its output
 *   verdict      keep only the verdict: the paragraph above "Read alongside:"
 *                (what a run concludes, which may differ from run to run, and
 *                in length: put it last above its block)
 *   varies: TEXT a line containing TEXT may end otherwise in another run
 *                ("is gone" for "is dead"): --check compares it up to TEXT
 *
 * Several markers in a row fill one block, one after the other. A demo's
 * output in a note must fit 80 columns.
 *
 * Usage: refresh [--check] [--lint] [--build DIR] [--demos a,b,...] [NOTE.md ...]
 *   (no mode)  rewrite the blocks of the notes (default: every .md in notes/ and notes/ko/)
 *   --check    run every command and fail if one exits with the wrong status,
 *              keeps no lines, or no longer prints what the note quotes, line
 *              by line, compared by shape (see "shapes" below: never the
 *              figures, nor what a run decides for itself); write nothing
 *   --lint     run nothing but --help: fail if a demo in --demos has no note
 *              in either language, if a note names a demo or a flag that does
 *              not exist, or if notes/ and notes/ko/ differ in files or commands
 *   --unbuilt  with --lint: demos this build leaves out (a,b,...), whose
 *              mentions in the notes are not checked
 *   --build    where the demos are, in place of the notes' "build/" (default: build)
 *
 * Run it from the top of the repository. Exit status: 0 ok, 1 a check
 * failed, 2 bad usage.
 */
#include "child.h"

#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_NOTES 64
#define MAX_ARGS  32
#define MAX_DEMOS 64
/* Seconds: a note's command that takes longer has hung. Generous, as a
 * loaded machine must not fail the notes: there a demo's runs are many
 * times slower, and more (the harness adds runs for the unfair ones). */
#define COMMAND_TIMEOUT 1800.0

static const char *build_dir = "build";
static int failures;

static void fail(const char *note, const char *fmt, const char *what)
{
    fprintf(stderr, "refresh: %s: ", note);
    fprintf(stderr, fmt, what);
    fputc('\n', stderr);
    failures++;
}

/* ---- files ------------------------------------------------------------ */

static char *read_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return NULL;
    struct child_buffer text = {0};
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
        if (text.len + n + 1 > text.cap) {
            size_t cap = (text.len + n + 1) * 2;
            char *bigger = realloc(text.data, cap);
            if (bigger == NULL) {
                free(text.data);
                fclose(f);
                return NULL;
            }
            text.data = bigger;
            text.cap = cap;
        }
        memcpy(text.data + text.len, chunk, n);
        text.len += n;
        text.data[text.len] = '\0';
    }
    fclose(f);
    return text.data != NULL ? text.data : strdup("");
}

static bool write_file(const char *path, const char *text)
{
    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    FILE *f = fopen(tmp, "wb");
    if (f == NULL)
        return false;
    bool ok = fputs(text, f) >= 0;
    ok = (fclose(f) == 0) && ok;
    return ok && rename(tmp, path) == 0; /* all or nothing: never half a note */
}

static bool exists(const char *path)
{
    FILE *f = fopen(path, "r");
    if (f != NULL)
        fclose(f);
    return f != NULL;
}

/* Appends to a growing string. */
static void append(struct child_buffer *b, const char *s, size_t n)
{
    if (b->len + n + 1 > b->cap) {
        b->cap = (b->len + n + 1) * 2;
        b->data = realloc(b->data, b->cap);
        if (b->data == NULL) {
            perror("refresh: realloc");
            exit(1);
        }
    }
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
}

static void append_str(struct child_buffer *b, const char *s)
{
    append(b, s, strlen(s));
}

/* ---- markers ---------------------------------------------------------- */

struct marker {
    char command[512];
    char from[128], grep[128], varies[128];
    long lines; /* 0: all */
    int exit_status;
    bool show;
    bool verdict; /* keep the verdict paragraph, whatever it says */
};

static const char marker_start[] = "<!-- run: ";
static const char marker_end[] = " -->";

static bool is_marker(const char *line, size_t len)
{
    size_t start = sizeof marker_start - 1, end = sizeof marker_end - 1;
    return len > start + end && strncmp(line, marker_start, start) == 0 &&
           strncmp(line + len - end, marker_end, end) == 0;
}

/* "build/demos/cpu --quick | lines: 9 | show" into a marker. */
static bool parse_marker(const char *line, size_t len, struct marker *m)
{
    char body[1024];
    size_t start = sizeof marker_start - 1, n = len - start - (sizeof marker_end - 1);
    if (n >= sizeof body)
        return false;
    memcpy(body, line + start, n);
    body[n] = '\0';
    *m = (struct marker){0};
    char *rest = body;
    char *part = strsep(&rest, "|");
    snprintf(m->command, sizeof m->command, "%s", part);
    for (size_t i = strlen(m->command); i > 0 && m->command[i - 1] == ' '; i--)
        m->command[i - 1] = '\0';
    while ((part = strsep(&rest, "|")) != NULL) {
        while (*part == ' ')
            part++;
        for (size_t i = strlen(part); i > 0 && part[i - 1] == ' '; i--)
            part[i - 1] = '\0';
        if (strncmp(part, "from: ", 6) == 0)
            snprintf(m->from, sizeof m->from, "%s", part + 6);
        else if (strncmp(part, "grep: ", 6) == 0)
            snprintf(m->grep, sizeof m->grep, "%s", part + 6);
        else if (strncmp(part, "varies: ", 8) == 0)
            snprintf(m->varies, sizeof m->varies, "%s", part + 8);
        else if (strncmp(part, "lines: ", 7) == 0)
            m->lines = strtol(part + 7, NULL, 10);
        else if (strncmp(part, "exit: ", 6) == 0)
            m->exit_status = (int)strtol(part + 6, NULL, 10);
        else if (strcmp(part, "show") == 0)
            m->show = true;
        else if (strcmp(part, "verdict") == 0)
            m->verdict = true;
        else
            return false;
    }
    return m->command[0] != '\0';
}

/* Splits a command into argv the way a reader would type it: words
 * separated by spaces, '...' or "..." keeping spaces inside. No other
 * shell syntax: no $, no globbing, no pipes. Writes into `storage`. */
static int split_command(const char *command, char *storage, size_t size, char *argv[MAX_ARGS])
{
    int argc = 0;
    size_t used = 0;
    const char *p = command;
    while (*p != '\0') {
        while (*p == ' ')
            p++;
        if (*p == '\0')
            break;
        if (argc == MAX_ARGS - 1)
            return -1;
        argv[argc++] = storage + used;
        while (*p != '\0' && *p != ' ') {
            if (*p == '\'' || *p == '"') {
                char quote = *p++;
                while (*p != '\0' && *p != quote) {
                    if (used + 1 >= size)
                        return -1;
                    storage[used++] = *p++;
                }
                if (*p != quote)
                    return -1; /* unterminated quote */
                p++;
            } else {
                if (used + 1 >= size)
                    return -1;
                storage[used++] = *p++;
            }
        }
        storage[used++] = '\0';
    }
    argv[argc] = NULL;
    return argc;
}

/* ---- running a note's command ------------------------------------------ */

/* Runs the command (with "build/" read as build_dir) and returns its
 * stdout and stderr together, and its returncode; -1 if it could not run. */
static int run_command(const char *command, struct child_buffer *output)
{
    char storage[1024], *argv[MAX_ARGS];
    int argc = split_command(command, storage, sizeof storage, argv);
    if (argc <= 0)
        return -1;
    char paths[MAX_ARGS][512]; /* "build/demos/x" as build_dir's, for mpirun's argument too */
    for (int i = 0; i < argc; i++)
        if (strncmp(argv[i], "build/", 6) == 0) {
            snprintf(paths[i], sizeof paths[i], "%s/%s", build_dir, argv[i] + 6);
            argv[i] = paths[i];
        }
    /* LANGUAGE=en: English output, naming the English notes, whatever the
     * caller reads (lib/i18n.h). Open MPI refuses root unless told it may;
     * CI runs this as root. */
    static const char *const plain[] = {"NO_COLOR=1", "LANGUAGE=en", NULL};
    static const char *const as_root[] = {"NO_COLOR=1", "LANGUAGE=en", "OMPI_ALLOW_RUN_AS_ROOT=1",
                                          "OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1", NULL};
    struct child_options options = {
        .env_set = geteuid() == 0 ? as_root : plain,
        .in.mode = CHILD_DEVNULL,
        .out.mode = CHILD_PIPE,
        .err.mode = CHILD_TO_STDOUT, /* 2>&1: in the order they were written */
        .new_process_group = true,
    };
    struct child c;
    struct child_error error = {0};
    char message[512];
    if (child_spawn(&c, (const char *const *)argv, &options, &error) != 0) {
        child_error_format(&error, message, sizeof message);
        fprintf(stderr, "refresh: %s\n", message);
        return -1;
    }
    struct child_io io = {.out = output};
    int err = child_communicate(&c, &io, COMMAND_TIMEOUT, &error);
    if (err != 0) {
        child_error_format(&error, message, sizeof message);
        fprintf(stderr, "refresh: %s: %s\n", command, message);
        child_close(&c); /* stops it if it still runs */
        return -1;
    }
    int returncode = child_returncode(&c);
    child_close(&c);
    return returncode;
}

/* ---- lines ------------------------------------------------------------ */

struct line {
    const char *text;
    size_t len; /* without its '\n' */
};

struct lines {
    struct line *at;
    size_t count;
};

/* The lines of `text` (pointing into it; free lines.at). */
static struct lines split_lines(const char *text, const char *end)
{
    struct lines all = {0};
    size_t cap = 0;
    for (const char *p = text; p < end && *p != '\0';) {
        if (all.count == cap) {
            cap = cap > 0 ? 2 * cap : 64;
            all.at = realloc(all.at, cap * sizeof *all.at);
            if (all.at == NULL) {
                perror("refresh: realloc");
                exit(1);
            }
        }
        size_t len = strcspn(p, "\n");
        if (p + len > end)
            len = (size_t)(end - p);
        all.at[all.count++] = (struct line){p, len};
        p += len + (p[len] == '\n');
    }
    return all;
}

static bool starts_with(struct line l, const char *prefix)
{
    size_t n = strlen(prefix);
    return l.len >= n && strncmp(l.text, prefix, n) == 0;
}

/* A line that a run adds on a busy machine, and another may not: a
 * warning, or runs set aside (report.c). Returns the indent of the lines
 * that continue it, or NULL for any other line. */
static const char *aside_indent(struct line l)
{
    if (starts_with(l, "warning: "))
        return "         ";
    if (starts_with(l, "set aside as not fair"))
        return "  ";
    return NULL;
}

/* Is line l part of an aside? *indent carries the indent of an aside's
 * next lines from one line to the next (NULL: not in one). */
static bool in_aside(struct line l, const char **indent)
{
    const char *starts = aside_indent(l);
    if (starts != NULL) {
        *indent = starts;
        return true;
    }
    if (*indent != NULL && starts_with(l, *indent))
        return true;
    *indent = NULL;
    return false;
}

/* The verdict: the last paragraph above the line "Read alongside: ..."
 * (a demo prints its verdicts, a blank line, then its note's path), or the
 * output's last paragraph. Sets lines [*first, *end). */
static void verdict_range(const struct lines *all, size_t *first, size_t *end)
{
    size_t stop = all->count;
    for (size_t i = 0; i < all->count; i++)
        if (starts_with(all->at[i], "Read alongside: "))
            stop = i;
    while (stop > 0 && all->at[stop - 1].len == 0)
        stop--;
    size_t start = stop;
    while (start > 0 && all->at[start - 1].len > 0)
        start--;
    *first = start;
    *end = stop;
}

/* Keeps what the marker asks for: the verdict, from, grep, lines. */
static void filter_output(const struct marker *m, const char *output, struct child_buffer *kept)
{
    struct lines all = split_lines(output, output + strlen(output));
    size_t first = 0, end = all.count;
    if (m->verdict)
        verdict_range(&all, &first, &end);
    bool started = m->from[0] == '\0';
    long count = 0;
    const char *indent = NULL; /* in an aside: how its next lines start */
    for (size_t i = first; i < end; i++) {
        char text[4096];
        snprintf(text, sizeof text, "%.*s", (int)all.at[i].len, all.at[i].text);
        if (!started && strstr(text, m->from) != NULL)
            started = true;
        bool aside = in_aside(all.at[i], &indent);
        bool wanted = started && (m->grep[0] == '\0' || strstr(text, m->grep) != NULL);
        if (wanted && (m->lines == 0 || count < m->lines)) {
            append(kept, all.at[i].text, all.at[i].len);
            append_str(kept, "\n");
            count += !aside; /* lines: N counts what every run prints */
        }
    }
    free(all.at);
}

/* The same command appears in both languages: run it once, use it twice,
 * so that the English and the Korean note show the very same output. */
struct cached_run {
    char command[512];
    int returncode;
    char *output;
};
static struct cached_run cache[256];
static size_t cache_count;

static const struct cached_run *run_cached(const char *command)
{
    for (size_t i = 0; i < cache_count; i++)
        if (strcmp(cache[i].command, command) == 0)
            return &cache[i];
    if (cache_count == sizeof cache / sizeof cache[0])
        return NULL;
    struct cached_run *r = &cache[cache_count++];
    snprintf(r->command, sizeof r->command, "%s", command);
    struct child_buffer output = {0};
    fprintf(stderr, "refresh: running %s\n", command);
    r->returncode = run_command(command, &output);
    r->output = output.data != NULL ? output.data : strdup("");
    return r;
}

/* For the projector: a demo's output in a note must fit 80 columns
 * (counted in characters, not bytes: a UTF-8 character's later bytes are
 * 10xxxxxx). What a run prints at other figures is tests/test_widths.c's
 * to check, not this: a loaded machine must not fail the notes. */
#define MAX_COLUMNS 80
static void check_width(const char *note, const char *command, const char *block, const char *end)
{
    struct lines all = split_lines(block, end);
    for (size_t i = 0; i < all.count; i++) {
        size_t columns = 0;
        for (size_t k = 0; k < all.at[i].len; k++)
            columns += ((unsigned char)all.at[i].text[k] & 0xC0) != 0x80;
        if (columns > MAX_COLUMNS) {
            char what[700];
            snprintf(what, sizeof what, "%s: %.40s...", command, all.at[i].text);
            fail(note, "a line wider than 80 columns in the output of %s", what);
            break;
        }
    }
    free(all.at);
}

/* ---- shapes: what --check compares ---------------------------------------
 *
 * A run's figures differ from the note's (times, speedups, pids, the
 * checksum), and so does what a run decides for itself on a busy machine:
 * a warning, runs set aside, the verdict's wording. --check compares what
 * the note's text relies on: each line by its shape.
 *   - A word with a digit in it is a figure, "#" ("0.16x", "(0,1)", "100%"),
 *     and so are random bytes as Python shows them (b'...', spaces and all);
 *     a plural's "s" is dropped ("1 CPU", "2 CPUs").
 *   - A timeline's or a plot's bars (after a '|': only " #-*ao|+") are "|plot".
 *   - A warning ("warning: " and its lines indented by 9) and a set-aside
 *     line ("set aside as not fair" and its lines indented by 2) are left out.
 *   - A verdict (a line, then lines indented, one of them "  -> ...") is
 *     its label ("cpu:"); so is each verdict of a `verdict` marker.
 *   - The machine ("machine:" up to a blank line) is "machine:".
 *   - A line with a marker's `varies:` text ends there.
 *   - Lines of one shape in a row count as one ("working... (poll N)").
 */
#define PLOT_CHARACTERS " #-*ao|+"

/* Appends `shape` as one entry (a line), unless it repeats the last one. */
static void add_shape(struct child_buffer *shapes, const char *shape)
{
    size_t last = shapes->len > 0 ? shapes->len - 1 : 0; /* the last entry's '\n' */
    while (last > 0 && shapes->data[last - 1] != '\n')
        last--;
    size_t n = strlen(shape);
    if (shapes->len > 0 && shapes->len - last == n + 1 && strncmp(shapes->data + last, shape, n) == 0)
        return;
    append_str(shapes, shape);
    append_str(shapes, "\n");
}

static void append_word_shape(struct child_buffer *shape, const char *word)
{
    if (strpbrk(word, "0123456789") != NULL) {
        append_str(shape, "#");
        return;
    }
    size_t letters = strlen(word); /* "CPUs," -> "CPU," */
    while (letters > 0 && strchr(".,:;!?)'\"", word[letters - 1]) != NULL)
        letters--;
    if (letters > 1 && word[letters - 1] == 's') {
        append(shape, word, letters - 1);
        append_str(shape, word + letters);
    } else
        append_str(shape, word);
}

static void add_line_shape(struct child_buffer *shapes, struct line l, const char *varies)
{
    char text[4096];
    snprintf(text, sizeof text, "%.*s", (int)l.len, l.text);
    char *cut = varies[0] != '\0' ? strstr(text, varies) : NULL;
    if (cut != NULL) /* what follows may differ from run to run */
        cut[strlen(varies)] = '\0';
    char *bars = strchr(text, '|');
    bool plot = bars != NULL && strspn(bars, PLOT_CHARACTERS) == strlen(bars);
    if (plot)
        *bars = '\0';
    char *bytes = strstr(text, " b'"), *quote = strrchr(text, '\''); /* seed_print_bytes escapes any inside */
    if (bytes != NULL && quote > bytes + 2) {
        bytes[1] = '0'; /* a figure */
        memmove(bytes + 2, quote + 1, strlen(quote + 1) + 1);
    }
    struct child_buffer shape = {0};
    append_str(&shape, "");
    char *save = NULL;
    for (char *word = strtok_r(text, " ", &save); word != NULL; word = strtok_r(NULL, " ", &save)) {
        append_str(&shape, shape.len > 0 ? " " : "");
        append_word_shape(&shape, word);
    }
    if (plot)
        append_str(&shape, shape.len > 0 ? " |plot" : "|plot");
    add_shape(shapes, shape.data);
    free(shape.data);
}

/* A verdict's shape: its label, the first word of its first line ("cpu:"). */
static void add_verdict_shape(struct child_buffer *shapes, struct line l)
{
    char label[128];
    size_t n = strcspn(l.text, " \n");
    snprintf(label, sizeof label, "verdict %.*s", (int)(n < l.len ? n : l.len), l.text);
    add_shape(shapes, label);
}

/* The first line at or after i in [i, end) that does not start with `indent`. */
static size_t skip_indented(const struct lines *all, size_t i, size_t end, const char *indent)
{
    while (i < end && starts_with(all->at[i], indent))
        i++;
    return i;
}

/* Is line i a verdict: "what was measured", then indented lines, one of
 * them "  -> what it means" (report_verdicts)? */
static bool is_verdict(const struct lines *all, size_t i, size_t end)
{
    if (all->at[i].len == 0 || all->at[i].text[0] == ' ')
        return false;
    for (size_t k = i + 1; k < end && starts_with(all->at[k], " "); k++)
        if (starts_with(all->at[k], "  -> "))
            return true;
    return false;
}

/* The shapes of lines [first, end) that marker `m` kept, one entry a line. */
static void block_shapes(const struct lines *all, size_t first, size_t end, const struct marker *m,
                         struct child_buffer *shapes)
{
    append_str(shapes, "");
    for (size_t i = first; i < end;) {
        struct line l = all->at[i];
        if (aside_indent(l) != NULL)
            i = skip_indented(all, i + 1, end, aside_indent(l));
        else if (starts_with(l, "machine:")) {
            add_shape(shapes, "machine:");
            while (i < end && all->at[i].len > 0)
                i++;
        } else if (m->verdict || is_verdict(all, i, end)) {
            add_verdict_shape(shapes, l);
            i = skip_indented(all, i + 1, end, " ");
        } else {
            add_line_shape(shapes, l, m->varies);
            i++;
        }
    }
}

/* The next entry of a shape list, without its '\n', for a message. */
static const char *next_entry(const char **p, char *buf, size_t size)
{
    if (**p == '\0')
        return "(nothing)";
    size_t n = strcspn(*p, "\n");
    snprintf(buf, size, "\"%.*s\"", (int)n, *p);
    *p += n + ((*p)[n] == '\n');
    return buf;
}

/* Fails when the note's lines (`quoted`) and the run's (`printed`) differ
 * in shape, naming the first pair that does. */
static void compare_shapes(const char *note, const char *command, const char *quoted, const char *printed)
{
    if (strcmp(quoted, printed) == 0)
        return;
    const char *q = quoted, *p = printed;
    while (*q != '\0' && *p != '\0' && strcspn(q, "\n") == strcspn(p, "\n") &&
           strncmp(q, p, strcspn(q, "\n")) == 0) {
        q += strcspn(q, "\n") + 1;
        p += strcspn(p, "\n") + 1;
    }
    char in_note[200], in_run[200], what[1100];
    snprintf(what, sizeof what, "%s: the note quotes %s, the run prints %s (# is a figure)", command,
             next_entry(&q, in_note, sizeof in_note), next_entry(&p, in_run, sizeof in_run));
    fail(note, "the output no longer has the note's shape: %s", what);
}

/* What one marker put in a block: --check compares it with the same
 * lines of the note. */
struct segment {
    struct marker marker;
    size_t lines; /* how many lines it kept */
};

#define MAX_SEGMENTS 16

/* The markers above one fenced block, and what their commands printed. */
struct block {
    struct segment segments[MAX_SEGMENTS];
    size_t count;
    struct child_buffer text; /* the lines kept, in order */
    const char *demo;         /* a demo's command among them, or NULL */
};

static size_t count_lines(const char *text, size_t from)
{
    size_t n = 0;
    for (const char *p = text + from; *p != '\0'; p++)
        n += *p == '\n';
    return n;
}

/* Lines [from, to) that every run prints: not the asides. */
static size_t count_not_aside(const struct lines *all, size_t from, size_t to)
{
    size_t n = 0;
    const char *indent = NULL;
    for (size_t i = from; i < to; i++)
        n += !in_aside(all->at[i], &indent);
    return n;
}

/* The line after `n` lines from `from` that are not asides (asides among
 * them come along). */
static size_t skip_not_aside(const struct lines *all, size_t from, size_t n)
{
    const char *indent = NULL;
    size_t i = from;
    for (; i < all->count && n > 0; i++)
        n -= !in_aside(all->at[i], &indent);
    return i;
}

/* The note's block [old, old_end) against the one just made, marker by
 * marker: the note's lines for each are as many as the run kept for it,
 * asides apart (the last marker's: the rest). */
static void check_block(const char *note, const struct segment *segments, size_t count, const char *fresh,
                        const char *old, const char *old_end)
{
    struct lines quoted = split_lines(old, old_end), printed = split_lines(fresh, fresh + strlen(fresh));
    size_t q = 0, p = 0;
    for (size_t i = 0; i < count; i++) {
        size_t q_end = i + 1 == count
                           ? quoted.count
                           : skip_not_aside(&quoted, q, count_not_aside(&printed, p, p + segments[i].lines));
        struct child_buffer in_note = {0}, in_run = {0};
        block_shapes(&quoted, q, q_end, &segments[i].marker, &in_note);
        block_shapes(&printed, p, p + segments[i].lines, &segments[i].marker, &in_run);
        compare_shapes(note, segments[i].marker.command, in_note.data, in_run.data);
        free(in_note.data);
        free(in_run.data);
        q = q_end;
        p += segments[i].lines;
    }
    free(quoted.at);
    free(printed.at);
}

/* Runs one marker's command and appends the part it keeps to `block`;
 * returns how many lines that was. */
static size_t fill_from_marker(const char *note, const struct marker *m, struct child_buffer *block)
{
    const struct cached_run *r = run_cached(m->command);
    if (r == NULL || r->returncode == -1) {
        fail(note, "could not run: %s", m->command);
        return 0;
    }
    if (r->returncode != m->exit_status) {
        char what[700];
        snprintf(what, sizeof what, "%s (exited with %d, expected %d)", m->command, r->returncode,
                 m->exit_status);
        fail(note, "command failed: %s", what);
    }
    size_t before = block->len;
    if (m->show) {
        append_str(block, "$ ");
        append_str(block, m->command);
        append_str(block, "\n");
    }
    size_t output_start = block->len;
    filter_output(m, r->output, block);
    if (block->len == output_start)
        fail(note, "kept no lines of the output of: %s", m->command);
    return count_lines(block->data, before);
}

/* Runs the command of the marker line [line, line + len) into the block. */
static void add_marker(const char *note, const char *line, size_t len, struct block *b)
{
    struct segment *segment = &b->segments[b->count];
    if (b->count == MAX_SEGMENTS || !parse_marker(line, len, &segment->marker)) {
        char what[200];
        snprintf(what, sizeof what, "%.*s", (int)len, line);
        fail(note, b->count == MAX_SEGMENTS ? "too many markers above one block: %s" : "bad marker: %s",
             what);
        return;
    }
    segment->lines = fill_from_marker(note, &segment->marker, &b->text);
    if (strstr(segment->marker.command, "build/demos/") != NULL && b->demo == NULL)
        b->demo = segment->marker.command;
    b->count++;
}

/* The checks on a block whose old text in the note is [old, old_end):
 * the width of what the note shows (the old text with --check, else the
 * new), and with --check, the shapes of the two. */
static void check_block_text(const char *note, bool check, const struct block *b, const char *old,
                             const char *old_end)
{
    if (b->demo != NULL && check)
        check_width(note, b->demo, old, old_end);
    else if (b->demo != NULL)
        check_width(note, b->demo, b->text.data, b->text.data + b->text.len);
    if (check)
        check_block(note, b->segments, b->count, b->text.data, old, old_end);
}

/* The line after the one at `line`. */
static const char *next_line(const char *line)
{
    size_t len = strcspn(line, "\n");
    return line + len + (line[len] == '\n');
}

/* Rewrites (or, with check, only runs and compares) every marked block of one note. */
static void refresh_note(const char *path, bool check)
{
    char *text = read_file(path);
    if (text == NULL) {
        fail(path, "cannot read: %s", strerror(errno));
        return;
    }
    int failures_before = failures;
    struct child_buffer out = {0};
    append_str(&out, "");
    const char *line = text;
    while (*line != '\0') {
        size_t len = strcspn(line, "\n");
        const char *next = next_line(line);
        if (!is_marker(line, len)) {
            append(&out, line, (size_t)(next - line));
            line = next;
            continue;
        }
        /* One or more markers, then the fenced block they fill. */
        int failures_in_block = failures;
        struct block block = {0};
        append_str(&block.text, "");
        while (is_marker(line, len)) {
            append(&out, line, (size_t)(next - line));
            add_marker(path, line, len, &block);
            line = next;
            len = strcspn(line, "\n");
            next = next_line(line);
        }
        if (strncmp(line, "```", 3) != 0) {
            char what[80];
            snprintf(what, sizeof what, "%.*s", (int)(len < 60 ? len : 60), line);
            fail(path, "a marker must be followed by a ``` block, not: %s", what);
            free(block.text.data);
            continue;
        }
        /* Skip the old block, up to and including its closing fence. */
        const char *old = next;
        line = next;
        while (*line != '\0' && strncmp(line, "```", 3) != 0)
            line = next_line(line);
        if (*line == '\0') { /* no closing fence: the rest of the note is not ours to drop */
            fail(path, "%s", "an output block has no closing ```");
            free(block.text.data);
            break;
        }
        if (failures == failures_in_block) /* a command that failed has no shape to compare */
            check_block_text(path, check, &block, old, line);
        line = next_line(line);
        append_str(&out, "```text\n");
        append_str(&out, block.text.data);
        append_str(&out, "```\n");
        free(block.text.data);
    }
    /* A note is rewritten only when every one of its commands ran as it
     * should: a failure must not replace a good output with an error. */
    bool all_ran = failures == failures_before;
    if (!check && all_ran && strcmp(out.data, text) != 0 && !write_file(path, out.data))
        fail(path, "cannot write: %s", strerror(errno));
    free(out.data);
    free(text);
}

/* ---- lint: what the notes name must exist ------------------------------ */

static char *demo_names[MAX_DEMOS];
static size_t demo_count;
static char *unbuilt_names[MAX_DEMOS]; /* --unbuilt: demos this build left out (mpi_cpu without Open MPI) */
static size_t unbuilt_count;

static bool is_unbuilt(const char *name)
{
    for (size_t i = 0; i < unbuilt_count; i++)
        if (strcmp(unbuilt_names[i], name) == 0)
            return true;
    return false;
}

static bool is_demo(const char *name)
{
    for (size_t i = 0; i < demo_count; i++)
        if (strcmp(demo_names[i], name) == 0)
            return true;
    return false;
}

/* A demo's --help, run once. */
static const char *demo_help(const char *name)
{
    char command[256];
    snprintf(command, sizeof command, "build/demos/%s --help", name);
    const struct cached_run *r = run_cached(command);
    return r != NULL && r->returncode == 0 ? r->output : NULL;
}

/* Does the help text list this flag ("--tasks", not "--tasks-list")? */
static bool help_has_flag(const char *help, const char *flag)
{
    size_t n = strlen(flag);
    for (const char *p = strstr(help, flag); p != NULL; p = strstr(p + 1, flag)) {
        char after = p[n];
        if (!(after == '-' || after == '_' || (after >= 'a' && after <= 'z')))
            return true;
    }
    return false;
}

/* Every "build/demos/NAME --flag ..." in a note: NAME is a demo, and each
 * --flag is in its --help. The command ends with the line, a backtick, a
 * marker's " -->" or its " | ". */
static void lint_commands(const char *path, const char *text)
{
    static const char prefix[] = "build/demos/";
    for (const char *p = strstr(text, prefix); p != NULL; p = strstr(p + 1, prefix)) {
        const char *name_start = p + sizeof prefix - 1;
        size_t name_len = strspn(name_start, "abcdefghijklmnopqrstuvwxyz0123456789_");
        char name[64];
        snprintf(name, sizeof name, "%.*s", (int)name_len, name_start);
        if (name_len == 0)
            continue;
        char program[300];
        snprintf(program, sizeof program, "%s/demos/%s", build_dir, name);
        if ((!is_demo(name) && exists(program)) || is_unbuilt(name))
            continue; /* a helper such as forker (no flags), or a demo this build lacks */
        if (!is_demo(name)) {
            fail(path, "names a demo that does not exist: %s", name);
            continue;
        }
        const char *help = demo_help(name);
        if (help == NULL) {
            fail(path, "%s --help does not exit 0", name);
            continue;
        }
        size_t rest_len = strcspn(name_start + name_len, "\n`|");
        char rest[512];
        snprintf(rest, sizeof rest, "%.*s", (int)rest_len, name_start + name_len);
        char *cut = strstr(rest, " -->");
        if (cut != NULL)
            *cut = '\0';
        for (char *word = strtok(rest, " "); word != NULL; word = strtok(NULL, " ")) {
            if (strncmp(word, "--", 2) != 0 || word[2] == '\0')
                continue;
            word[strcspn(word, "=,.;:)")] = '\0';
            if (!help_has_flag(help, word)) {
                char what[200];
                snprintf(what, sizeof what, "%s %s", name, word);
                fail(path, "names a flag the demo does not have: %s", what);
            }
        }
    }
}

/* The run markers of a note, one per line, to compare the two languages. */
static void collect_markers(const char *text, struct child_buffer *markers)
{
    append_str(markers, "");
    for (const char *line = text; *line != '\0';) {
        size_t len = strcspn(line, "\n");
        if (is_marker(line, len)) {
            append(markers, line, len);
            append_str(markers, "\n");
        }
        line += len + (line[len] == '\n');
    }
}

/* The .md files of a directory, sorted. */
static size_t list_notes(const char *dir, char *names[MAX_NOTES])
{
    size_t count = 0;
    DIR *d = opendir(dir);
    if (d == NULL)
        return 0;
    for (struct dirent *e; (e = readdir(d)) != NULL;) {
        size_t n = strlen(e->d_name);
        if (n > 3 && strcmp(e->d_name + n - 3, ".md") == 0 && count < MAX_NOTES)
            names[count++] = strdup(e->d_name);
    }
    closedir(d);
    for (size_t i = 1; i < count; i++) /* insertion sort: a few dozen names */
        for (size_t j = i; j > 0 && strcmp(names[j - 1], names[j]) > 0; j--) {
            char *t = names[j];
            names[j] = names[j - 1];
            names[j - 1] = t;
        }
    return count;
}

/* Each demo's --help names its note; the note must exist in both languages. */
static void lint_demo_notes(void)
{
    static const char label[] = "Read alongside: ";
    for (size_t i = 0; i < demo_count; i++) {
        const char *help = demo_help(demo_names[i]);
        const char *at = help != NULL ? strstr(help, label) : NULL;
        if (at == NULL) {
            fail(demo_names[i], "%s", "its --help names no note (\"Read alongside: ...\")");
            continue;
        }
        char note[256], korean[300];
        snprintf(note, sizeof note, "%.*s", (int)strcspn(at + sizeof label - 1, "\n"), at + sizeof label - 1);
        const char *base = strrchr(note, '/') != NULL ? strrchr(note, '/') + 1 : note;
        snprintf(korean, sizeof korean, "notes/ko/%s", base);
        if (!exists(note))
            fail(demo_names[i], "has no note: %s is missing", note);
        if (!exists(korean))
            fail(demo_names[i], "has no Korean note: %s is missing", korean);
    }
}

/* notes/ and notes/ko/ hold the same files, with the same commands, and
 * each README links every note of its language. */
static void lint_trees(void)
{
    char *english[MAX_NOTES], *korean[MAX_NOTES];
    size_t n_en = list_notes("notes", english), n_ko = list_notes("notes/ko", korean);
    for (size_t i = 0, j = 0; i < n_en || j < n_ko;) {
        int order = i == n_en ? 1 : j == n_ko ? -1 : strcmp(english[i], korean[j]);
        if (order < 0)
            fail("notes/ko", "has no %s", english[i++]);
        else if (order > 0)
            fail("notes", "has no %s (notes/ko has one)", korean[j++]);
        else {
            char en_path[300], ko_path[300];
            snprintf(en_path, sizeof en_path, "notes/%s", english[i]);
            snprintf(ko_path, sizeof ko_path, "notes/ko/%s", korean[j]);
            char *en_text = read_file(en_path), *ko_text = read_file(ko_path);
            struct child_buffer en_markers = {0}, ko_markers = {0};
            collect_markers(en_text, &en_markers);
            collect_markers(ko_text, &ko_markers);
            if (strcmp(en_markers.data, ko_markers.data) != 0)
                fail(ko_path, "runs other commands than %s", en_path);
            free(en_markers.data);
            free(ko_markers.data);
            free(en_text);
            free(ko_text);
            i++, j++;
        }
    }
    const char *dirs[] = {"notes", "notes/ko"};
    char **lists[] = {english, korean};
    size_t counts[] = {n_en, n_ko};
    for (size_t d = 0; d < 2; d++) {
        char readme_path[64];
        snprintf(readme_path, sizeof readme_path, "%s/README.md", dirs[d]);
        char *readme = read_file(readme_path);
        if (readme == NULL) {
            fail(readme_path, "%s", "is missing");
            continue;
        }
        for (size_t i = 0; i < counts[d]; i++)
            if (strcmp(lists[d][i], "README.md") != 0 && strstr(readme, lists[d][i]) == NULL)
                fail(readme_path, "does not link %s", lists[d][i]);
        free(readme);
    }
    for (size_t i = 0; i < n_en; i++)
        free(english[i]);
    for (size_t i = 0; i < n_ko; i++)
        free(korean[i]);
}

/* ---- main --------------------------------------------------------------- */

static int usage(const char *problem)
{
    if (problem != NULL)
        fprintf(stderr, "refresh: %s\n", problem);
    fprintf(problem != NULL ? stderr : stdout,
            "Usage: refresh [--check] [--lint] [--build DIR] [--demos a,b,...] [--unbuilt a,...]\n"
            "               [NOTE.md ...]\n"
            "Re-runs the command above each output block of the notes and writes its output\n"
            "there. --check: run them and fail on a wrong exit status or an output of\n"
            "another shape than the note quotes (never on its figures); write nothing.\n"
            "--lint: check that demos, flags and notes in both languages match, run nothing\n"
            "but --help. Run it from the top of the repository.\n");
    return problem != NULL ? 2 : 0;
}

static void parse_name_list(char *list, char *names[MAX_DEMOS], size_t *count)
{
    for (char *name = strtok(list, ","); name != NULL && *count < MAX_DEMOS; name = strtok(NULL, ","))
        names[(*count)++] = name;
}

int main(int argc, char **argv)
{
    bool check = false, lint = false;
    char *paths[2 * MAX_NOTES];
    size_t path_count = 0;
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        if (strcmp(arg, "--check") == 0)
            check = true;
        else if (strcmp(arg, "--lint") == 0)
            lint = true;
        else if ((strcmp(arg, "--build") == 0 || strcmp(arg, "--demos") == 0 ||
                  strcmp(arg, "--unbuilt") == 0) &&
                 i + 1 == argc)
            return usage("--build, --demos and --unbuilt need a value");
        else if (strcmp(arg, "--build") == 0)
            build_dir = argv[++i];
        else if (strcmp(arg, "--demos") == 0)
            parse_name_list(argv[++i], demo_names, &demo_count);
        else if (strcmp(arg, "--unbuilt") == 0)
            parse_name_list(argv[++i], unbuilt_names, &unbuilt_count);
        else if (strcmp(arg, "--help") == 0)
            return usage(NULL);
        else if (strncmp(arg, "--", 2) == 0)
            return usage("unknown option");
        else if (path_count < sizeof paths / sizeof paths[0])
            paths[path_count++] = argv[i];
    }
    if (lint && demo_count == 0)
        return usage("--lint needs --demos");
    static char *all[2 * MAX_NOTES];
    char *names[MAX_NOTES];
    if (path_count == 0) {
        const char *dirs[] = {"notes", "notes/ko"};
        for (size_t d = 0; d < 2; d++) {
            size_t n = list_notes(dirs[d], names);
            for (size_t i = 0; i < n; i++) {
                char path[300];
                snprintf(path, sizeof path, "%s/%s", dirs[d], names[i]);
                all[path_count] = strdup(path);
                paths[path_count] = all[path_count];
                path_count++;
                free(names[i]);
            }
        }
    }
    if (path_count == 0)
        return usage("no notes found: run it from the top of the repository");

    if (lint) {
        lint_demo_notes();
        lint_trees();
        for (size_t i = 0; i < path_count; i++) {
            char *text = read_file(paths[i]);
            if (text != NULL)
                lint_commands(paths[i], text);
            free(text);
        }
    } else {
        for (size_t i = 0; i < path_count; i++)
            refresh_note(paths[i], check);
    }
    if (failures > 0)
        fprintf(stderr, "refresh: %d problem%s\n", failures, failures == 1 ? "" : "s");
    return failures > 0 ? 1 : 0;
}
