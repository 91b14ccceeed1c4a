/* machine: each fixture machine under tests/machines/ (made by make.py) is
 * read as lib/machine reads the real one, and its header is what a class
 * would see on it. No file of this machine is read. */
#include "i18n.h"
#include "machine.h"

#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#define FIXTURE(name) SOURCE_ROOT "/tests/machines/" name

static struct machine read_fixture(const char *root)
{
    struct machine m;
    machine_read_at(root, NULL, &m); /* the process may use every online CPU */
    return m;
}

static struct machine read_fixture_pinned(const char *root, const char *cpus)
{
    struct machine m;
    struct cpu_list allowed;
    cr_assert_eq(cpu_list_parse(cpus, &allowed), 0);
    machine_read_at(root, &allowed, &m);
    return m;
}

/* The header text, each line checked to fit 80 columns. */
static void describe(const struct machine *m, char *buf, size_t size)
{
    machine_describe(m, 80, buf, size);
    for (const char *line = buf; *line != '\0';) {
        size_t length = strcspn(line, "\n");
        cr_assert_leq(length, 80, "a line of %zu columns: %.*s", length, (int)length, line);
        line += length + (line[length] == '\n');
    }
    cr_assert_eq(buf[strlen(buf) - 1], '\n', "the header ends its last line");
}

#define assert_header(m, expected)                                   \
    do {                                                             \
        char text[512];                                              \
        describe((m), text, sizeof text);                            \
        cr_assert_str_eq(text, (expected), "header was:\n%s", text); \
    } while (0)

Test(machine, this_2_vcpu_vm)
{
    struct machine m = read_fixture(FIXTURE("vm-2cpu"));
    cr_assert_eq(m.cpus_online, 2);
    cr_assert_eq(m.allowed.count, 2);
    cr_assert_eq(m.cores, 2);
    cr_assert_eq(m.packages, 1);
    cr_assert_eq(m.smt, 0);
    cr_assert_eq(m.cgroup_version, 1);
    cr_assert_eq(m.quota, QUOTA_NONE);
    cr_assert_eq(m.boost, MACHINE_UNKNOWN, "no cpufreq here: unknown, not off");
    cr_assert_str_eq(m.kernel, "6.18.44-fc-v857");
    cr_assert_float_eq(machine_parallel_capacity(&m, &m.allowed), 2.0, 1e-9);
    assert_header(&m, "machine: 2 CPUs (2 cores, no hyper-threads), this run may use 2 (CPU 0,1)\n"
                      "no CPU quota, Linux 6.18.44-fc-v857, Intel(R) Xeon(R) Processor\n");
}

Test(machine, laptop_with_8_cores_and_16_hyper_threads)
{
    struct machine m = read_fixture(FIXTURE("laptop-8c16t"));
    cr_assert_eq(m.cpus_online, 16);
    cr_assert_eq(m.cores, 8);
    cr_assert_eq(m.threads_per_core, 2);
    cr_assert_eq(m.smt, 1);
    cr_assert_eq(m.core_of[3], m.core_of[11], "CPU 3 and CPU 11 are one core's two threads");
    cr_assert_neq(m.core_of[3], m.core_of[4]);
    cr_assert_eq(m.cgroup_version, 2);
    cr_assert_eq(m.quota, QUOTA_NONE);
    cr_assert_eq(m.boost, 1, "intel_pstate/no_turbo 0: turbo is on");
    cr_assert_float_eq(machine_parallel_capacity(&m, &m.allowed), 16.0, 1e-9,
                       "hyper-threads count as CPUs; the verdict explains them");
    assert_header(&m, "machine: 16 CPUs (8 cores x 2 threads), this run may use 16 (CPU 0-15: 8 cores)\n"
                      "no CPU quota, Linux 6.8.0-45-generic, Intel(R) Core(TM) i7-10875H CPU @ 2.30GHz\n"
                      "boost on\n");
}

Test(machine, laptop_pinned_to_two_threads_of_one_core)
{
    struct machine m = read_fixture_pinned(FIXTURE("laptop-8c16t"), "0,8");
    cr_assert_eq(machine_count_cores(&m, &m.allowed), 1);
    struct cpu_list two_cores;
    cpu_list_parse("0-1", &two_cores);
    cr_assert_eq(machine_count_cores(&m, &two_cores), 2);
    char text[512];
    describe(&m, text, sizeof text);
    cr_assert_not_null(strstr(text, "this run may use 2 (CPU 0,8: 1 core)"), "%s", text);
}

Test(machine, hybrid_laptop_with_performance_and_efficiency_cores)
{
    struct machine m = read_fixture(FIXTURE("hybrid-6p8e"));
    cr_assert_eq(m.cpus_online, 20);
    cr_assert_eq(m.cores, 14);
    cr_assert_eq(m.performance.count, 12);
    cr_assert_eq(m.efficiency.count, 8);
    cr_assert_eq(m.boost, 0, "intel_pstate/no_turbo 1: turbo is off");
    cr_assert_eq(m.quota, QUOTA_NONE, "no cpu.max along the path: the cpu controller is not on there");
    assert_header(&m, "machine: 20 CPUs (6 performance cores x 2 threads, 8 efficiency cores)\n"
                      "this run may use 20 (CPU 0-19: 14 cores), no CPU quota, Linux 6.5.0-21-generic\n"
                      "12th Gen Intel(R) Core(TM) i7-12700H, boost off\n");
}

Test(machine, server_with_2_packages)
{
    struct machine m = read_fixture(FIXTURE("server-2x16c32t"));
    cr_assert_eq(m.cpus_online, 64);
    cr_assert_eq(m.packages, 2);
    cr_assert_eq(m.cores, 32, "core_id restarts on each package: 16 + 16 cores, not 16");
    cr_assert_eq(m.threads_per_core, 2);
    cr_assert_eq(m.core_of[0], m.core_of[32]);
    cr_assert_neq(m.core_of[0], m.core_of[16], "the same core_id on the other package is another core");
    cr_assert_eq(m.quota, QUOTA_NONE, "the root cgroup has no quota");
    cr_assert_eq(m.boost, 1);
    assert_header(&m, "machine: 64 CPUs (2 packages x 16 cores x 2 threads)\n"
                      "this run may use 64 (CPU 0-63: 32 cores), no CPU quota, Linux 6.1.0-18-amd64\n"
                      "AMD EPYC 7302 16-Core Processor, boost on\n");
}

Test(machine, one_cpu)
{
    struct machine m = read_fixture(FIXTURE("one-cpu"));
    cr_assert_eq(m.cpus_online, 1);
    cr_assert_eq(m.cores, 1);
    cr_assert_eq(m.quota, QUOTA_NONE);
    assert_header(&m, "machine: 1 CPU (1 core, no hyper-threads), this run may use 1 (CPU 0)\n"
                      "no CPU quota, Linux 5.10.0-28-amd64, Intel(R) Celeron(R) N4020 CPU @ 1.10GHz\n");
}

Test(machine, cgroup_v2_quota_on_the_parent_binds)
{
    struct machine m = read_fixture(FIXTURE("quota-v2"));
    cr_assert_eq(m.cgroup_version, 2);
    cr_assert_float_eq(m.quota, 1.5, 1e-9, "cpu.max 150000 100000 on the pod");
    cr_assert_not_null(strstr(m.quota_dir, "/kubepods-pod12.slice"), "%s", m.quota_dir);
    cr_assert_null(strstr(m.quota_dir, "cri-containerd"), "the container's own cpu.max is max: %s",
                   m.quota_dir);
    cr_assert_float_eq(machine_parallel_capacity(&m, &m.allowed), 1.5, 1e-9, "4 CPUs, 1.5 CPUs' worth");
    assert_header(&m, "machine: 4 CPUs (4 cores, no hyper-threads), this run may use 4 (CPU 0-3)\n"
                      "CPU quota 1.5, Linux 6.1.0-18-cloud-amd64, AMD EPYC 7B13 64-Core Processor\n");
}

Test(machine, cgroup_v1_quota_of_one_cpu_in_a_container)
{
    struct machine m = read_fixture(FIXTURE("quota-v1"));
    cr_assert_eq(m.cgroup_version, 1);
    cr_assert_float_eq(m.quota, 1.0, 1e-9);
    cr_assert_not_null(strstr(m.quota_dir, "/sys/fs/cgroup/cpu,cpuacct"), "%s", m.quota_dir);
    cr_assert_float_eq(machine_parallel_capacity(&m, &m.allowed), 1.0, 1e-9);
    struct cpu_list one = {.count = 1, .ids = {0}};
    cr_assert_float_eq(machine_parallel_capacity(&m, &one), 1.0, 1e-9);
    assert_header(&m, "machine: 2 CPUs (2 cores, no hyper-threads), this run may use 2 (CPU 0,1)\n"
                      "CPU quota 1.0, Linux 4.19.0-26-amd64, Intel(R) Xeon(R) CPU E5-2680 v4 @ 2.40GHz\n");
}

Test(machine, what_cannot_be_read_stays_unknown)
{
    struct machine m = read_fixture(FIXTURE("unreadable"));
    cr_assert_eq(m.cpus_online, 4, "the online list is there");
    cr_assert_eq(m.cores, MACHINE_UNKNOWN, "CPU 2's topology is missing");
    cr_assert_eq(m.smt, MACHINE_UNKNOWN);
    cr_assert_eq(machine_count_cores(&m, &m.allowed), MACHINE_UNKNOWN);
    cr_assert_eq(m.quota, MACHINE_UNKNOWN);
    cr_assert_eq(m.boost, MACHINE_UNKNOWN);
    cr_assert_str_eq(m.model, "");
    cr_assert_str_eq(m.kernel, "");
    cr_assert_float_eq(machine_parallel_capacity(&m, &m.allowed), 4.0, 1e-9,
                       "an unknown quota limits nothing");
    assert_header(&m, "machine: 4 CPUs (cores unknown), this run may use 4 (CPU 0-3), CPU quota unknown\n"
                      "Linux (release unknown)\n");
}

Test(machine, a_missing_root_knows_nothing)
{
    struct machine m = read_fixture(FIXTURE("no-such-machine"));
    cr_assert_eq(m.cpus_online, MACHINE_UNKNOWN);
    cr_assert_eq(m.allowed.count, 0);
    assert_header(&m, "machine: CPUs online unknown, CPUs this run may use unknown, CPU quota unknown\n"
                      "Linux (release unknown)\n");
}

Test(machine, this_machine_reads_as_a_whole)
{
    struct machine m;
    cr_assert_eq(machine_read(&m), 0);
    cr_assert_geq(m.allowed.count, 1);
    cr_assert_geq(m.cpus_online, (int)m.allowed.count);
    cr_assert_neq(m.kernel[0], '\0', "/proc/sys/kernel/osrelease is readable on Linux");
}

Test(cpu_list, parses_what_the_kernel_writes)
{
    struct cpu_list l;
    cr_assert_eq(cpu_list_parse("0-3,8-11\n", &l), 0);
    cr_assert_eq(l.count, 8);
    cr_assert_eq(l.ids[4], 8);
    cr_assert_eq(cpu_list_parse("5", &l), 0);
    cr_assert_eq(l.count, 1);
    cr_assert_eq(cpu_list_parse("", &l), 0);
    cr_assert_eq(l.count, 0, "an empty list is empty (cpu_atom/cpus on a machine with none)");
    cr_assert_eq(cpu_list_parse("3-1", &l), -EINVAL);
    cr_assert_eq(cpu_list_parse("0,x", &l), -EINVAL);
    cr_assert_eq(cpu_list_parse("1,0", &l), -EINVAL);
    cr_assert_eq(cpu_list_parse("0-5000", &l), -EINVAL);
}

Test(cpu_list, brief_cuts_a_long_list_after_a_comma)
{
    struct cpu_list scattered = {.count = 32};
    for (size_t i = 0; i < scattered.count; i++)
        scattered.ids[i] = 2 * (int)i;
    char buf[64];
    cpu_list_format_brief(&scattered, 16, buf, sizeof buf);
    cr_expect_str_eq(buf, "0,2,4,6,8,10,...");
    struct cpu_list run = {.count = 64};
    for (size_t i = 0; i < run.count; i++)
        run.ids[i] = (int)i;
    cpu_list_format_brief(&run, 16, buf, sizeof buf);
    cr_expect_str_eq(buf, "0-63", "short already");
    cpu_list_format_brief(&scattered, 5, buf, sizeof buf);
    cr_expect_str_eq(buf, "0,...");
}

/* In Korean (po/ko.po) the header of every fixture machine is translated
 * and still fits 80 columns, where a Hangul syllable takes two. */
Test(machine, every_header_in_korean_fits)
{
    /* the last: a scattered CPU list, a piece long in bytes but short
     * enough in columns, which must come out whole */
    static const struct {
        const char *fixture, *allowed; /* allowed NULL: every CPU online */
    } machines[] = {{"vm-2cpu", NULL},
                    {"laptop-8c16t", NULL},
                    {"hybrid-6p8e", NULL},
                    {"server-2x16c32t", NULL},
                    {"quota-v1", NULL},
                    {"quota-v2", NULL},
                    {"one-cpu", NULL},
                    {"unreadable", NULL},
                    {"server-2x16c32t", "0,2,4,6,12,15,19,32,34,35,38,60"}};
    i18n_use_language("ko");
    cr_assert_str_eq(i18n_language(), "ko", "the Korean translation is not built");
    for (size_t i = 0; i < sizeof machines / sizeof machines[0]; i++) {
        char root[512], text[1024];
        snprintf(root, sizeof root, "%s/tests/machines/%s", SOURCE_ROOT, machines[i].fixture);
        struct machine m =
            machines[i].allowed == NULL ? read_fixture(root) : read_fixture_pinned(root, machines[i].allowed);
        const char *name = machines[i].fixture;
        machine_describe(&m, 80, text, sizeof text);
        cr_expect_not_null(strstr(text, "머신: "), "%s:\n%s", name, text);
        cr_expect_null(strstr(text, "machine:"), "%s:\n%s", name, text);
        cr_expect_not_null(strstr(text, "코어 "), "%s: a piece cut short:\n%s", name, text);
        for (const char *line = text; *line != '\0';) {
            size_t length = strcspn(line, "\n");
            cr_expect_leq(i18n_columns(line, length), 80, "%s: %.*s", name, (int)length, line);
            line += length + (line[length] == '\n');
        }
    }
}

/* "%.*s" counts bytes: i18n_bytes_within gives the bytes of whole
 * characters that fit the columns (a Hangul syllable: 3 bytes, 2 columns). */
Test(machine, a_korean_text_is_cut_at_a_whole_character)
{
    const char *text = "코어 8개"; /* 2 + 2 + 1 + 1 + 2 columns, 3 + 3 + 1 + 1 + 3 bytes */
    cr_expect_eq(i18n_bytes_within(text, 80), (int)strlen(text));
    cr_expect_eq(i18n_bytes_within(text, 4), 6, "two syllables");
    cr_expect_eq(i18n_bytes_within(text, 3), 3, "not half of the second");
    cr_expect_eq(i18n_bytes_within("abc", 2), 2);
}
