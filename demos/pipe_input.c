/*
 * pipe_input: three `openssl enc` children at once, each fed random bytes on
 * its stdin by the parent and read back from its stdout: the seed's
 * run_encrypt() with Popen(stdin=PIPE, stdout=PIPE) and communicate(), in C.
 * The password reaches each child in its environment, never in argv (any
 * user can read argv with ps).
 *
 * Usage: pipe_input [--cipher NAME]
 *
 * A run prints, for each child, the last 10 bytes of what it encrypted:
 *
 *   child 1 (pid 6439): 10 bytes in, 32 out
 *     last 10: b'A\x02f\xda\x85\x9b\xe9\x84\xaac'
 *
 * notes/07-pipe_input.md sets the C beside the Python.
 */
#include "child.h"
#include "options.h"
#include "report.h"
#include "seed_common.h"

#include <limits.h>
#include <stdio.h>

#define CHILDREN    3
#define INPUT_BYTES 10 /* as in the seed */

static const char *cipher = "des3";
static char openssl_path[PATH_MAX]; /* found once, never a program of ours */

static const struct demo_flag flags[] = {
    {"cipher", DEMO_FLAG_TEXT, "NAME", N_("openssl's cipher (default des3; try aes-256-cbc)"), &cipher, NULL},
    {0},
};

static const struct demo_info demo = {
    .name = "pipe_input",
    .summary = N_("Encrypts random bytes in three `openssl enc` children at once: the parent\n"
                  "writes each child's stdin and reads its stdout, the password in the environment."),
    .note = "notes/07-pipe_input.md",
    .flags = flags,
};

/* Starts one encrypting child with its stdin and stdout piped to us. */
static int start_encrypt(struct child *c, const char *password_entry, struct child_error *error)
{
    char cipher_flag[64];
    snprintf(cipher_flag, sizeof cipher_flag, "-%s", cipher);
    const char *const argv[] = {"openssl", "enc", cipher_flag, "-pbkdf2", "-pass", "env:password", NULL};
    const char *const env[] = {password_entry, NULL}; /* the secret: environment only */
    struct child_options options = {.executable = openssl_path,
                                    .env_set = env,
                                    .in.mode = CHILD_PIPE,
                                    .out.mode = CHILD_PIPE,
                                    .err.mode = CHILD_PIPE};
    return child_spawn(c, argv, &options, error);
}

/* Feeds one child its input, collects its output, prints the tail. */
static int finish_encrypt(struct child *c, int number, const unsigned char *input)
{
    struct child_buffer out = {0}, err = {0};
    struct child_io io = {.input = input, .input_len = INPUT_BYTES, .out = &out, .err = &err};
    struct child_error error = {0};
    int status = 0;
    if (child_communicate(c, &io, 10.0, &error) != 0) {
        status = seed_fail(demo.name, &error);
    } else if (child_returncode(c) != 0) {
        char how[64];
        child_describe(c, how, sizeof how);
        fprintf(stderr, "pipe_input: openssl %s; it said:\n%s", how, err.data != NULL ? err.data : "");
        status = 1;
    } else {
        size_t tail = out.len < 10 ? out.len : 10;
        /* TRANSLATORS: "child 1 (pid 6439): 10 bytes in, 32 out", then the last 10: b'A\x02f...' */
        printf(_("child %d (pid %d): %d bytes in, %zu out\n  last 10: "), number, (int)c->pid, INPUT_BYTES,
               out.len);
        seed_print_bytes((const unsigned char *)out.data + out.len - tail, tail);
        printf("\n");
    }
    child_buffer_free(&out);
    child_buffer_free(&err);
    return status;
}

int main(int argc, char **argv)
{
    struct options opts;
    int done = options_parse(argc, argv, &demo, &opts);
    if (done != OPTIONS_RUN)
        return done;
    char password_entry[64];
    unsigned char inputs[CHILDREN][INPUT_BYTES];
    if (seed_password_entry(password_entry, sizeof password_entry) != 0 ||
        seed_random_bytes(&inputs[0][0], sizeof inputs) != 0) {
        perror("pipe_input: getrandom");
        return 1;
    }

    struct child children[CHILDREN];
    struct child_error error = {0};
    if (seed_find_program("openssl", openssl_path, sizeof openssl_path, &error) != 0)
        return seed_fail(demo.name, &error);
    int started = 0, status = 0;
    for (; started < CHILDREN; started++) /* all three start before any is fed: they run at once */
        if (start_encrypt(&children[started], password_entry, &error) != 0) {
            status = seed_fail(demo.name, &error);
            break;
        }
    if (started > 0)
        /* TRANSLATORS: "-%s": the cipher ("-des3"); the second line lines up under the first's text */
        printf(_("parent: started %d openssl enc -%s children;\n"
                 "        the password is in their environment\n"),
               started, cipher);
    for (int i = 0; i < started; i++) {
        if (status == 0)
            status = finish_encrypt(&children[i], i + 1, inputs[i]);
        child_close(&children[i]); /* stops and reaps any child we did not finish */
    }
    if (status == 0)
        report_note(&demo);
    return status;
}
