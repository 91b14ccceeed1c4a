/*
 * pipeline: for three random inputs at once, an encrypt | hash chain:
 * `openssl enc` feeding `openssl dgst -sha256 -binary` through a pipe, as
 * the seed chains two Popen objects. child_pipeline closes the parent's
 * copy of the pipe between them; print each digest's last 10 bytes.
 *
 * With --keep-pipe-open, the naive wiring beside the fixed one: the parent
 * keeps its copy of the middle pipe, so the hash stage never sees
 * end-of-file. The demo measures that hang, cuts it off with a timeout,
 * then closes its copy and shows the chain finish at once.
 *
 * Usage: pipeline [--cipher NAME] [--digest NAME] [--keep-pipe-open]
 *
 * notes/08-pipeline.md sets the C beside the Python.
 */
#include "child.h"
#include "options.h"
#include "report.h"
#include "seed_common.h"
#include "stopwatch.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define CHAINS       3
#define INPUT_BYTES  100 /* as in the seed */
#define HANG_TIMEOUT 0.5 /* how long --keep-pipe-open lets the chain hang */

static const char *cipher = "des3";
static const char *digest = "sha256";
static bool keep_pipe_open;

static const struct demo_flag flags[] = {
    {"cipher", DEMO_FLAG_TEXT, "NAME", N_("openssl's cipher (default des3; try aes-256-cbc)"), &cipher, NULL},
    {"digest", DEMO_FLAG_TEXT, "NAME", N_("openssl's digest (default sha256; the seed's: whirlpool)"),
     &digest, NULL},
    {"keep-pipe-open", DEMO_FLAG_SWITCH, NULL, N_("show the hang when the parent keeps its pipe end"),
     &keep_pipe_open, NULL},
    {0},
};

static const struct demo_info demo = {
    .name = "pipeline",
    .summary = N_("Three `openssl enc | openssl dgst` chains at once, the parent's copy of the\n"
                  "middle pipe closed. --keep-pipe-open shows the hang when it is not."),
    .note = "notes/08-pipeline.md",
    .flags = flags,
};

static char password_entry[64];
static char cipher_flag[64], digest_flag[64];
static char openssl_path[PATH_MAX]; /* found once, never a program of ours */
static const char *const encrypt_argv[] = {"openssl", "enc",          cipher_flag, "-pbkdf2",
                                           "-pass",   "env:password", NULL};
static const char *const env[] = {password_entry, NULL};

/* The hash stage's argv. whirlpool lives in OpenSSL 3's legacy provider. */
static const char *const *hash_argv(void)
{
    static const char *plain[] = {"openssl", "dgst", digest_flag, "-binary", NULL};
    static const char *legacy[] = {"openssl", "dgst",      "-provider", "legacy", "-provider",
                                   "default", digest_flag, "-binary",   NULL};
    return strcmp(digest, "whirlpool") == 0 ? legacy : plain;
}

/* Prints a finished chain's digest tail, or what went wrong. `err` holds
 * dgst's stderr; enc's went straight to ours. */
static int report_chain(int number, struct child stages[2], const struct child_buffer *out,
                        const struct child_buffer *err)
{
    char how[64];
    if (child_returncode(&stages[1]) != 0) { /* dgst first: when it dies, enc fails writing to it */
        child_describe(&stages[1], how, sizeof how);
        fprintf(stderr, "pipeline: chain %d: openssl dgst %s; it said:\n%s", number, how,
                err->data != NULL ? err->data : "");
        if (strcmp(digest, "whirlpool") == 0)
            fprintf(stderr, "pipeline: this OpenSSL cannot load whirlpool: its legacy provider is "
                            "missing or disabled (see notes/10-why-these-commands-changed.md)\n");
        return 1;
    }
    if (child_returncode(&stages[0]) != 0) {
        child_describe(&stages[0], how, sizeof how);
        fprintf(stderr, "pipeline: chain %d: openssl enc %s (its message is above)\n", number, how);
        return 1;
    }
    size_t tail = out->len < 10 ? out->len : 10;
    /* TRANSLATORS: "chain 1 (enc pid 6440 | dgst pid 6441): digest of 32 bytes", then its last 10 */
    printf(_("chain %d (enc pid %d | dgst pid %d): digest of %zu bytes\n  last 10: "), number,
           (int)stages[0].pid, (int)stages[1].pid, out->len);
    seed_print_bytes((const unsigned char *)out->data + out->len - tail, tail);
    printf("\n");
    return 0;
}

/* The fixed way: child_pipeline closes the parent's copies. */
static int run_chains(void)
{
    struct child chains[CHAINS][2];
    unsigned char inputs[CHAINS][INPUT_BYTES];
    struct child_error error = {0};
    if (seed_random_bytes(&inputs[0][0], sizeof inputs) != 0) {
        perror("pipeline: getrandom");
        return 1;
    }
    int started = 0, status = 0;
    for (; started < CHAINS && status == 0; started++) {
        struct child_stage stages[2] = {
            /* enc's stderr is ours: a pipe nobody reads could fill and hang it */
            {.argv = encrypt_argv,
             .options = {.executable = openssl_path, .env_set = env, .in.mode = CHILD_PIPE}},
            {.argv = hash_argv(),
             .options = {.executable = openssl_path, .out.mode = CHILD_PIPE, .err.mode = CHILD_PIPE}},
        };
        if (child_pipeline(chains[started], stages, 2, &error) != 0) {
            status = seed_fail(demo.name, &error);
            break;
        }
    }
    if (status == 0) /* after a failure, only why: the chains started are stopped below */
        /* TRANSLATORS: "parent: started 3 chains: openssl enc -des3 | openssl dgst -sha256 -binary" */
        printf(_("parent: started %d chains: openssl enc -%s | openssl dgst -%s -binary\n"), started, cipher,
               digest);
    for (int i = 0; i < started; i++) {
        struct child_buffer out = {0}, err = {0};
        struct child_io io = {.input = inputs[i], .input_len = INPUT_BYTES, .out = &out, .err = &err};
        if (status == 0 && child_pipeline_communicate(chains[i], 2, &io, 10.0, &error) != 0)
            status = seed_fail(demo.name, &error);
        if (status == 0)
            status = report_chain(i + 1, chains[i], &out, &err);
        child_buffer_free(&out);
        child_buffer_free(&err);
        child_close(&chains[i][0]);
        child_close(&chains[i][1]);
    }
    return status;
}

/* The naive way, wired by hand: the parent forgets to close its copy of
 * the pipe's write end, so the hash stage never sees end-of-file. */
static int run_naive_chain(void)
{
    int middle[2];
    if (pipe2(middle, O_CLOEXEC) != 0) {
        perror("pipeline: pipe2");
        return 1;
    }
    struct child stages[2];
    struct child_error error = {0};
    struct child_options encrypt = {
        .executable = openssl_path, .env_set = env, .in.mode = CHILD_PIPE, .out = {CHILD_FD, middle[1]}};
    struct child_options hash = {
        .executable = openssl_path, .in = {CHILD_FD, middle[0]}, .out.mode = CHILD_PIPE};
    if (child_spawn(&stages[0], encrypt_argv, &encrypt, &error) != 0) {
        close(middle[0]);
        close(middle[1]);
        return seed_fail(demo.name, &error);
    }
    if (child_spawn(&stages[1], hash_argv(), &hash, &error) != 0) {
        close(middle[0]);
        close(middle[1]);
        child_close(&stages[0]); /* stop and reap enc */
        return seed_fail(demo.name, &error);
    }
    /* The mistake: middle[0] and middle[1] stay open here, in the parent. */
    printf("\n");
    printf("%s", _("parent: naive chain started; the parent keeps its copy of the middle pipe\n"));
    unsigned char input[INPUT_BYTES] = {0};
    struct child_buffer out = {0};
    struct child_io io = {.input = input, .input_len = INPUT_BYTES, .out = &out};
    double start = stopwatch_now();
    int err = child_pipeline_communicate(stages, 2, &io, HANG_TIMEOUT, &error);
    char enc_status[64];
    child_poll(&stages[0], NULL); /* enc is done: reap it, to say how it ended */
    seed_describe(&stages[0], enc_status, sizeof enc_status);
    /* TRANSLATORS: "after 0.501 s: timed out; enc exited with 0,"; the second line lines up under it */
    printf(_("parent: after %.3f s: %s; enc %s,\n"
             "        dgst still waiting for end-of-file\n"),
           stopwatch_now() - start, err == -ETIMEDOUT ? _("timed out") : _("finished?!"), enc_status);
    close(middle[1]); /* the fix: the last write end closes, dgst sees end-of-file */
    close(middle[0]);
    start = stopwatch_now();
    err = child_pipeline_communicate(stages, 2, &io, HANG_TIMEOUT, &error);
    printf(_("parent: closed our copies; dgst finished %.3f s later with %zu bytes of digest\n"),
           stopwatch_now() - start, out.len);
    child_buffer_free(&out);
    int status = err != 0 ? seed_fail(demo.name, &error) : seed_expect_returncode(demo.name, &stages[0], 0);
    if (status == 0)
        status = seed_expect_returncode(demo.name, &stages[1], 0);
    child_close(&stages[0]);
    child_close(&stages[1]);
    return status;
}

int main(int argc, char **argv)
{
    struct options opts;
    int done = options_parse(argc, argv, &demo, &opts);
    if (done != OPTIONS_RUN)
        return done;
    snprintf(cipher_flag, sizeof cipher_flag, "-%s", cipher);
    snprintf(digest_flag, sizeof digest_flag, "-%s", digest);
    if (seed_password_entry(password_entry, sizeof password_entry) != 0) {
        perror("pipeline: getrandom");
        return 1;
    }
    struct child_error error = {0};
    if (seed_find_program("openssl", openssl_path, sizeof openssl_path, &error) != 0)
        return seed_fail(demo.name, &error);
    int status = run_chains();
    if (status == 0 && keep_pipe_open)
        status = run_naive_chain();
    if (status == 0)
        report_note(&demo);
    return status;
}
