/* mpi_cpu: under mpirun with 2 ranks it exits 0 and the ranks' checksum
 * matches the sequential one; started by hand it says how to start it and
 * exits 2. Built only with Open MPI; MPI_CPU, MPIRUN, TWO_HOSTS and BUILD_DIR
 * are paths from meson. */
#include "child.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* Open MPI will not run as root unless told it may. Where the tests run as
 * root (CI in a container), root is a given: say so, here only. */
static const char *const as_root[] = {"OMPI_ALLOW_RUN_AS_ROOT=1", "OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1", NULL};

static int run(const char *const argv[], struct child_result *result)
{
    struct child_run_options options = {.capture = true, .timeout = 60.0};
    options.spawn.env_set = geteuid() == 0 ? as_root : NULL;
    options.spawn.in.mode = CHILD_DEVNULL;
    options.spawn.new_process_group = true; /* a timeout stops mpirun and its ranks */
    struct child_error error = {0};
    int err = child_run(argv, &options, result, &error);
    char message[512];
    child_error_format(&error, message, sizeof message);
    cr_assert_eq(err, 0, "%s", message);
    return result->returncode;
}

Test(mpi_cpu, two_ranks_compute_what_one_computes, .timeout = 90)
{
    const char *const argv[] = {MPIRUN, "-np", "2", MPI_CPU, "--quick", "--json", NULL};
    struct child_result r;
    cr_assert_eq(run(argv, &r), 0, "stdout:\n%s\nstderr:\n%s", r.out.data, r.err.data);
    cr_expect_not_null(strstr(r.out.data, "\"ranks\": 2,"), "%s", r.out.data);
    cr_expect_not_null(strstr(r.out.data, "\"strategy\": \"mpi\", \"ranks\": 2"), "%s", r.out.data);
    cr_expect_not_null(strstr(r.out.data, "\"checksum_ok\": true, \"verdicts\""), "%s", r.out.data);
    /* each rank ran its own task: the work was shared, not only summed */
    cr_expect_not_null(strstr(r.out.data, "\"tasks_per_rank\": [1, 1]"), "%s", r.out.data);
    cr_expect_null(strstr(r.out.data, "\"checksum_ok\": false"), "%s", r.out.data);
    child_result_free(&r);
}

/* mpirun hands each rank a pseudo-terminal, even when its own output is a
 * pipe (as here): the table must still come without colour codes. */
Test(mpi_cpu, writes_no_colour_codes_into_a_pipe, .timeout = 90)
{
    const char *const argv[] = {MPIRUN, "-np", "2", MPI_CPU, "--quick", "--tasks", "1", NULL};
    struct child_result r;
    cr_assert_eq(run(argv, &r), 0, "stdout:\n%s\nstderr:\n%s", r.out.data, r.err.data);
    cr_expect_not_null(strstr(r.out.data, "checksum "), "%s", r.out.data);
    cr_expect_null(strchr(r.out.data, '\033'), "%s", r.out.data);
    child_result_free(&r);
}

/* Across two pretend hosts (bench/two_hosts.sh: two network namespaces
 * joined by a veth pair, an agent in place of ssh) the ranks see two
 * hostnames, share the tasks and agree on the checksum. It needs root, and
 * a machine that lets it make namespaces; elsewhere it is skipped. (If a
 * timeout kills it, the next run removes the namespaces it left.) */
Test(mpi_cpu, two_pretend_hosts_share_the_work, .timeout = 120)
{
    if (geteuid() != 0)
        cr_skip_test("needs root, to make network namespaces");
    const char *const argv[] = {TWO_HOSTS, BUILD_DIR, "--quick", "--json", NULL};
    struct child_result r;
    int code = run(argv, &r);
    if (code == 3 && strstr(r.err.data, "two_hosts.sh: cannot make the hosts here") != NULL) {
        char why[256];
        snprintf(why, sizeof why, "%s", r.err.data);
        child_result_free(&r);
        cr_skip_test("%s", why);
    }
    cr_assert_eq(code, 0, "stdout:\n%s\nstderr:\n%s", r.out.data, r.err.data);
    cr_expect_not_null(strstr(r.out.data, "\"ranks\": 2, \"hosts\": 2,"), "%s", r.out.data);
    cr_expect_not_null(strstr(r.out.data, "\"tasks_per_rank\": [1, 1]"), "%s", r.out.data);
    cr_expect_not_null(strstr(r.out.data, "\"checksum_ok\": true, \"verdicts\""), "%s", r.out.data);
    child_result_free(&r);
}

Test(mpi_cpu, without_mpirun_says_how_to_start_it, .timeout = 30)
{
    const char *const argv[] = {MPI_CPU, "--quick", NULL};
    struct child_result r;
    cr_assert_eq(run(argv, &r), 2);
    cr_expect_not_null(strstr(r.err.data, "mpirun -np 2"), "%s", r.err.data);
    cr_expect_eq(r.out.len, 0, "%s", r.out.data);
    child_result_free(&r);
}

/* A run its own estimate says would take more than a few minutes is
 * refused before it starts, by every rank: exit 2, the estimate and the
 * flag that forces it on stderr (once: only rank 0 speaks). */
Test(mpi_cpu, a_too_long_run_is_refused_with_its_estimate, .timeout = 90)
{
    const char *const argv[] = {MPIRUN, "-np", "2", MPI_CPU, "--seconds", "600", NULL};
    struct child_result r;
    cr_assert_eq(run(argv, &r), 2, "stdout:\n%s\nstderr:\n%s", r.out.data, r.err.data);
    const char *refusal = strstr(r.err.data, "mpi_cpu: this run would take about ");
    cr_expect_not_null(refusal, "%s", r.err.data);
    cr_expect_not_null(strstr(r.err.data, "--force"), "%s", r.err.data);
    cr_expect(refusal == NULL || strstr(refusal + 1, "mpi_cpu: this run would take") == NULL,
              "said by more than one rank: %s", r.err.data);
    cr_expect_eq(r.out.len, 0, "%s", r.out.data);
    child_result_free(&r);
}

/* Twelve ranks on this machine (--oversubscribe: more ranks than CPUs):
 * every line still fits 80 columns, the CPU time per rank cut with "...". */
Test(mpi_cpu, twelve_ranks_fit_80_columns, .timeout = 120)
{
    const char *const argv[] = {MPIRUN,    "--oversubscribe", "-np", "12", MPI_CPU,
                                "--quick", "--runs",          "1",   NULL};
    struct child_result r;
    cr_assert_eq(run(argv, &r), 0, "stdout:\n%s\nstderr:\n%s", r.out.data, r.err.data);
    cr_expect_not_null(strstr(r.out.data, "on 12 ranks"), "%s", r.out.data);
    cr_expect_not_null(strstr(r.out.data, " ... s\n"), "%s", r.out.data);
    for (const char *line = r.out.data; *line != '\0';) {
        size_t len = strcspn(line, "\n");
        cr_expect_leq(len, 80, "a line of %zu columns:\n%.*s", len, (int)len, line);
        line += len + (line[len] == '\n');
    }
    child_result_free(&r);
}
