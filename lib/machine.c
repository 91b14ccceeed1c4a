#include "machine.h"

#include "i18n.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- reading the kernel's files below a root ----------------------------- */

/* buf = a followed by b. Returns false when that would not fit. */
static bool join(char *buf, size_t size, const char *a, const char *b)
{
    int n = snprintf(buf, size, "%s%s", a, b);
    return n >= 0 && (size_t)n < size;
}

/* The root as a prefix: "" for "/", so that paths do not start with "//". */
static const char *prefix(const char *root)
{
    return strcmp(root, "/") == 0 ? "" : root;
}

int machine_read_file(const char *root, const char *path, char *buf, size_t size)
{
    char full[PATH_MAX];
    if (!join(full, sizeof full, prefix(root), path))
        return -ENAMETOOLONG;
    int fd = open(full, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -errno;
    size_t used = 0; /* a /proc file may come in several reads */
    for (;;) {
        ssize_t n = read(fd, buf + used, size - 1 - used);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0 || (used += (size_t)n) == size - 1) {
            int err = n < 0 ? -errno : 0;
            close(fd);
            if (err != 0)
                return err;
            break;
        }
    }
    buf[used] = '\0';
    while (used > 0 && (buf[used - 1] == '\n' || buf[used - 1] == ' '))
        buf[--used] = '\0';
    return 0;
}

/* A whole number from a file such as topology/core_id. Returns 0 or -errno. */
static int read_long(const char *root, const char *path, long *out)
{
    char text[64], *end;
    int err = machine_read_file(root, path, text, sizeof text);
    if (err != 0)
        return err;
    errno = 0;
    *out = strtol(text, &end, 10);
    return end == text || *end != '\0' || errno != 0 ? -EINVAL : 0;
}

static int read_cpu_list(const char *root, const char *path, struct cpu_list *out)
{
    char text[4096];
    int err = machine_read_file(root, path, text, sizeof text);
    return err != 0 ? err : cpu_list_parse(text, out);
}

/* ---- topology --------------------------------------------------------------- */

/* Numbers each online CPU's physical core 0, 1, ... (a core is a package
 * and a core_id in it) and counts cores, packages and the CPUs of the
 * busiest core. One unreadable CPU leaves all of it unknown. */
static void read_topology(const char *root, const struct cpu_list *online, struct machine *m)
{
    long core_package[CPU_LIST_MAX], core_id[CPU_LIST_MAX];
    int cores = 0, threads[CPU_LIST_MAX] = {0};
    long packages[CPU_LIST_MAX];
    int npackages = 0, most = 0;
    for (size_t i = 0; i < online->count; i++) {
        char path[128];
        long package, id;
        int cpu = online->ids[i];
        snprintf(path, sizeof path, "/sys/devices/system/cpu/cpu%d/topology/physical_package_id", cpu);
        int err = read_long(root, path, &package);
        snprintf(path, sizeof path, "/sys/devices/system/cpu/cpu%d/topology/core_id", cpu);
        if (err != 0 || read_long(root, path, &id) != 0) {
            for (size_t j = 0; j < CPU_LIST_MAX; j++)
                m->core_of[j] = MACHINE_UNKNOWN;
            return;
        }
        int core = 0;
        while (core < cores && !(core_package[core] == package && core_id[core] == id))
            core++;
        if (core == cores) { /* a core not seen before */
            core_package[cores] = package;
            core_id[cores++] = id;
        }
        m->core_of[cpu] = core;
        most = ++threads[core] > most ? threads[core] : most;
        int p = 0;
        while (p < npackages && packages[p] != package)
            p++;
        if (p == npackages)
            packages[npackages++] = package;
    }
    m->cores = cores;
    m->packages = npackages;
    m->threads_per_core = most;
    m->smt = most > 1;
}

int machine_count_cores(const struct machine *m, const struct cpu_list *cpus)
{
    bool seen[CPU_LIST_MAX] = {false};
    int cores = 0;
    for (size_t i = 0; i < cpus->count; i++) {
        int core = m->core_of[cpus->ids[i]];
        if (core == MACHINE_UNKNOWN)
            return MACHINE_UNKNOWN;
        cores += !seen[core];
        seen[core] = true;
    }
    return cores;
}

/* ---- the CPU model ---------------------------------------------------------- */

static void read_model(const char *root, struct machine *m)
{
    size_t size = 16384; /* the first CPU's lines are enough */
    char *cpuinfo = malloc(size);
    m->model[0] = '\0';
    if (cpuinfo == NULL || machine_read_file(root, "/proc/cpuinfo", cpuinfo, size) != 0)
        goto out;
    const char *line = strstr(cpuinfo, "model name");
    const char *colon = line != NULL ? strchr(line, ':') : NULL;
    if (colon == NULL)
        goto out; /* e.g. an ARM board that names no model: unknown */
    colon += strspn(colon + 1, " \t") + 1;
    size_t length = strcspn(colon, "\n");
    snprintf(m->model, sizeof m->model, "%.*s", (int)length, colon);
out:
    free(cpuinfo);
}

/* ---- the cgroup CPU quota --------------------------------------------------- */

/* Where a cgroup hierarchy is mounted, from /proc/self/mountinfo. */
struct cgroup_mount {
    char root[PATH_MAX];  /* the part of the hierarchy mounted there ("/" in most cases) */
    char point[PATH_MAX]; /* where, e.g. "/sys/fs/cgroup" */
};

/* Is `word` one of the comma-separated items of `list`? */
static bool has_item(const char *list, const char *word)
{
    size_t n = strlen(word);
    for (const char *p = list;; p++) {
        if (strncmp(p, word, n) == 0 && (p[n] == ',' || p[n] == '\0'))
            return true;
        if ((p = strchr(p, ',')) == NULL)
            return false;
    }
}

/* Finds the cgroup v2 mount (version 2) or the v1 mount that holds the cpu
 * controller (version 1). A mountinfo line reads
 *   36 25 0:30 / /sys/fs/cgroup/cpu rw,relatime shared:9 - cgroup cgroup rw,cpu,cpuacct
 * (mount id, parent, device, root, mount point, options, ... - type source super options). */
static bool find_cgroup_mount(const char *mountinfo, int version, struct cgroup_mount *out)
{
    for (const char *line = mountinfo; *line != '\0';) {
        const char *end = strchr(line, '\n');
        size_t length = end != NULL ? (size_t)(end - line) : strlen(line);
        char copy[1024], fstype[64], super[512];
        snprintf(copy, sizeof copy, "%.*s", (int)length, line);
        line += length + (end != NULL);
        const char *dash = strstr(copy, " - ");
        if (dash == NULL || sscanf(dash, " - %63s %*s %511s", fstype, super) != 2)
            continue;
        bool match = version == 2 ? strcmp(fstype, "cgroup2") == 0
                                  : strcmp(fstype, "cgroup") == 0 && has_item(super, "cpu");
        if (match && sscanf(copy, "%*s %*s %*s %4095s %4095s", out->root, out->point) == 2)
            return true;
    }
    return false;
}

/* The process's cgroup in one hierarchy, from /proc/self/cgroup lines such
 * as "0::/user.slice" (v2) or "4:cpu,cpuacct:/docker/ab12" (v1). */
static bool find_cgroup_path(const char *self_cgroup, int version, char *path, size_t size)
{
    for (const char *line = self_cgroup; *line != '\0';) {
        const char *end = strchr(line, '\n');
        size_t length = end != NULL ? (size_t)(end - line) : strlen(line);
        char copy[PATH_MAX + 64];
        snprintf(copy, sizeof copy, "%.*s", (int)length, line);
        line += length + (end != NULL);
        char *first = strchr(copy, ':'), *second = first != NULL ? strchr(first + 1, ':') : NULL;
        if (second == NULL)
            continue;
        *second = '\0';
        bool match =
            version == 2 ? strncmp(copy, "0:", 2) == 0 && first[1] == '\0' : has_item(first + 1, "cpu");
        if (match) {
            snprintf(path, size, "%s", second + 1);
            return true;
        }
    }
    return false;
}

/* One cgroup directory's quota in CPUs' worth: QUOTA_NONE for "max" or -1,
 * MACHINE_UNKNOWN when its files are not there (no cpu controller here). */
static double read_one_quota(const char *root, const char *dir, int version)
{
    char path[PATH_MAX + 32], text[128];
    long quota, period;
    if (version == 2) {
        if (!join(path, sizeof path, dir, "/cpu.max") ||
            machine_read_file(root, path, text, sizeof text) != 0)
            return MACHINE_UNKNOWN;
        if (strncmp(text, "max", 3) == 0)
            return QUOTA_NONE;
        if (sscanf(text, "%ld %ld", &quota, &period) != 2 || quota <= 0 || period <= 0)
            return MACHINE_UNKNOWN;
        return (double)quota / (double)period;
    }
    if (!join(path, sizeof path, dir, "/cpu.cfs_quota_us") || read_long(root, path, &quota) != 0)
        return MACHINE_UNKNOWN;
    if (quota < 0)
        return QUOTA_NONE;
    if (!join(path, sizeof path, dir, "/cpu.cfs_period_us") || read_long(root, path, &period) != 0 ||
        quota == 0 || period <= 0)
        return MACHINE_UNKNOWN;
    return (double)quota / (double)period;
}

/* The lowest quota from the process's cgroup up to the top of the mounted
 * hierarchy. Returns false when the hierarchy is not mounted or a v1 one
 * has no quota files. */
static bool read_quota_in(const char *root, int version, const char *mountinfo, const char *self_cgroup,
                          struct machine *m)
{
    struct cgroup_mount mount;
    char path[PATH_MAX], dir[PATH_MAX];
    if (!find_cgroup_mount(mountinfo, version, &mount) ||
        !find_cgroup_path(self_cgroup, version, path, sizeof path))
        return false;
    /* With the hierarchy mounted from a part of it (a container), the
     * process's path starts with that part: take it off. */
    size_t skip = strcmp(mount.root, "/") != 0 && strncmp(path, mount.root, strlen(mount.root)) == 0
                      ? strlen(mount.root)
                      : 0;
    if (!join(dir, sizeof dir, mount.point, strcmp(path + skip, "/") == 0 ? "" : path + skip))
        return false;
    bool seen = false;
    double lowest = QUOTA_NONE;
    for (;;) {
        double quota = read_one_quota(root, dir, version);
        if (quota != MACHINE_UNKNOWN) {
            seen = true;
            if (quota > QUOTA_NONE && (lowest == QUOTA_NONE || quota < lowest)) {
                lowest = quota;
                if (!join(m->quota_dir, sizeof m->quota_dir, prefix(root), dir))
                    m->quota_dir[0] = '\0'; /* too long a path: the throttling stays unknown */
            }
        }
        char *slash = strrchr(dir, '/');
        if (strlen(dir) <= strlen(mount.point) || slash == NULL)
            break;
        *slash = '\0'; /* up to the parent */
    }
    /* cgroup v2 shows cpu.max only where the cpu controller is enabled (never
     * at the top): none along the path means no quota applies here. */
    if (version == 2)
        seen = true;
    if (seen) {
        m->quota = lowest;
        m->cgroup_version = version;
    }
    return seen;
}

static void read_quota(const char *root, struct machine *m)
{
    size_t size = 1 << 20; /* a container host can have thousands of mounts */
    char *mountinfo = malloc(size), self_cgroup[8192];
    m->quota = MACHINE_UNKNOWN;
    m->cgroup_version = 0;
    m->quota_dir[0] = '\0';
    if (mountinfo != NULL && machine_read_file(root, "/proc/self/mountinfo", mountinfo, size) == 0 &&
        machine_read_file(root, "/proc/self/cgroup", self_cgroup, sizeof self_cgroup) == 0) {
        /* v1 first: on a machine with both, the cpu controller is where v1 mounts it. */
        if (!read_quota_in(root, 1, mountinfo, self_cgroup, m))
            read_quota_in(root, 2, mountinfo, self_cgroup, m);
    }
    free(mountinfo);
}

/* ---- boost ------------------------------------------------------------------ */

static int read_boost(const char *root)
{
    long value;
    if (read_long(root, "/sys/devices/system/cpu/cpufreq/boost", &value) == 0)
        return value != 0; /* acpi-cpufreq, amd-pstate */
    if (read_long(root, "/sys/devices/system/cpu/intel_pstate/no_turbo", &value) == 0)
        return value == 0;
    return MACHINE_UNKNOWN;
}

/* ---- the whole machine ------------------------------------------------------ */

void machine_read_at(const char *root, const struct cpu_list *allowed, struct machine *m)
{
    struct cpu_list online;
    memset(m, 0, sizeof *m);
    m->cores = m->packages = m->threads_per_core = m->smt = MACHINE_UNKNOWN;
    for (size_t i = 0; i < CPU_LIST_MAX; i++)
        m->core_of[i] = MACHINE_UNKNOWN;
    if (machine_read_file(root, "/proc/sys/kernel/osrelease", m->kernel, sizeof m->kernel) != 0)
        m->kernel[0] = '\0';
    if (read_cpu_list(root, "/sys/devices/system/cpu/online", &online) == 0) {
        m->cpus_online = (int)online.count;
        read_topology(root, &online, m);
    } else {
        m->cpus_online = MACHINE_UNKNOWN;
        online.count = 0;
    }
    m->allowed = allowed != NULL ? *allowed : online;
    if (read_cpu_list(root, "/sys/devices/cpu_core/cpus", &m->performance) != 0 ||
        read_cpu_list(root, "/sys/devices/cpu_atom/cpus", &m->efficiency) != 0)
        m->performance.count = m->efficiency.count = 0; /* not a hybrid CPU (or unknown: the same to us) */
    read_model(root, m);
    read_quota(root, m);
    m->boost = read_boost(root);
}

int machine_read(struct machine *m)
{
    struct cpu_list allowed;
    int err = machine_allowed_cpus(&allowed);
    if (err != 0)
        return err;
    machine_read_at("/", &allowed, m);
    return 0;
}

double machine_capacity(size_t cpus, double quota)
{
    return quota > QUOTA_NONE && quota < (double)cpus ? quota : (double)cpus;
}

double machine_parallel_capacity(const struct machine *m, const struct cpu_list *cpus)
{
    return machine_capacity(cpus->count, m->quota);
}

/* ---- the header ------------------------------------------------------------- */

/* "16 CPUs (8 cores x 2 threads)", "20 CPUs (6 performance cores x 2 threads,
 * 8 efficiency cores)", "128 CPUs (2 packages x 32 cores x 2 threads)". */
static void describe_cpus(const struct machine *m, char *buf, size_t size)
{
    int n = snprintf(buf, size, "%s", _("machine: "));
    if (m->cpus_online == MACHINE_UNKNOWN) {
        snprintf(buf + n, size - (size_t)n, "%s", _("CPUs online unknown"));
        return;
    }
    n += snprintf(buf + n, size - (size_t)n, ngettext("%d CPU", "%d CPUs", (unsigned long)m->cpus_online),
                  m->cpus_online);
    if (m->cores == MACHINE_UNKNOWN) {
        snprintf(buf + n, size - (size_t)n, "%s", _(" (cores unknown)"));
        return;
    }
    if (m->performance.count > 0 && m->efficiency.count > 0) {
        int pcores = machine_count_cores(m, &m->performance), ecores = machine_count_cores(m, &m->efficiency);
        int pthreads = pcores > 0 ? (int)m->performance.count / pcores : 1;
        snprintf(buf + n, size - (size_t)n, _(" (%d performance cores%s, %d efficiency cores)"), pcores,
                 pthreads > 1 ? _(" x 2 threads") : "", ecores);
        return;
    }
    char packages[32] = "";
    if (m->packages > 1)
        snprintf(packages, sizeof packages, _("%d packages x "), m->packages);
    int per_package = m->packages > 1 ? m->cores / m->packages : m->cores;
    if (m->smt)
        snprintf(buf + n, size - (size_t)n, _(" (%s%d cores x %d threads)"), packages, per_package,
                 m->threads_per_core);
    else
        snprintf(buf + n, size - (size_t)n,
                 ngettext(" (%s%d core, no hyper-threads)", " (%s%d cores, no hyper-threads)",
                          (unsigned long)per_package),
                 packages, per_package);
}

/* "this run may use 4 (CPU 0-3: 2 cores)" */
static void describe_allowed(const struct machine *m, char *buf, size_t size)
{
    char cpus[256];
    if (m->allowed.count == 0) {
        snprintf(buf, size, "%s", _("CPUs this run may use unknown"));
        return;
    }
    cpu_list_format(&m->allowed, cpus, sizeof cpus);
    int cores = machine_count_cores(m, &m->allowed);
    if (cores != MACHINE_UNKNOWN && (size_t)cores < m->allowed.count)
        snprintf(buf, size,
                 ngettext("this run may use %zu (CPU %.60s: %d core)",
                          "this run may use %zu (CPU %.60s: %d cores)", (unsigned long)cores),
                 m->allowed.count, cpus, cores);
    else
        snprintf(buf, size, _("this run may use %zu (CPU %.60s)"), m->allowed.count, cpus);
}

void machine_quota_text(double quota, char *buf, size_t size)
{
    /* 4.0, 1.5, 0.25: as many places as the quota has, up to two */
    snprintf(buf, size, "%.*f", quota * 10.0 == floor(quota * 10.0) ? 1 : 2, quota);
}

static void describe_quota(const struct machine *m, char *buf, size_t size)
{
    if (m->quota == MACHINE_UNKNOWN)
        snprintf(buf, size, "%s", _("CPU quota unknown"));
    else if (m->quota == QUOTA_NONE)
        snprintf(buf, size, "%s", _("no CPU quota"));
    else {
        char quota[32];
        machine_quota_text(m->quota, quota, sizeof quota);
        snprintf(buf, size, _("CPU quota %s"), quota);
    }
}

/* Adds `piece` to the lines in buf: after ", " on the current line when it
 * fits in `width` columns (a Korean syllable takes two), else on a new line. */
static void add_piece(char *buf, size_t size, size_t width, size_t *line_start, const char *piece)
{
    size_t used = strlen(buf), line = i18n_columns(buf + *line_start, used - *line_start);
    if (piece[0] == '\0' || used + 1 >= size)
        return;
    if (used == 0)
        snprintf(buf, size, "%.*s", i18n_bytes_within(piece, width), piece);
    else if (line + 2 + i18n_columns(piece, strlen(piece)) <= width)
        snprintf(buf + used, size - used, ", %s", piece);
    else {
        snprintf(buf + used, size - used, "\n%.*s", i18n_bytes_within(piece, width), piece);
        *line_start = used + 1;
    }
}

void machine_describe(const struct machine *m, size_t width, char *buf, size_t size)
{
    char cpus[192], allowed[192], quota[64], kernel[80], boost[32] = "";
    describe_cpus(m, cpus, sizeof cpus);
    describe_allowed(m, allowed, sizeof allowed);
    describe_quota(m, quota, sizeof quota);
    snprintf(kernel, sizeof kernel, "Linux %s", m->kernel[0] != '\0' ? m->kernel : _("(release unknown)"));
    if (m->boost != MACHINE_UNKNOWN)
        snprintf(boost, sizeof boost, "%s", m->boost ? _("boost on") : _("boost off"));
    const char *pieces[] = {cpus, allowed, quota, kernel, m->model, boost};
    size_t line_start = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < sizeof pieces / sizeof pieces[0]; i++)
        add_piece(buf, size, width, &line_start, pieces[i]);
    size_t used = strlen(buf);
    if (used + 1 < size)
        snprintf(buf + used, size - used, "\n");
}

/* ---- affinity and CPU lists ------------------------------------------------- */

int machine_allowed_cpus(struct cpu_list *out)
{
    cpu_set_t set;
    if (sched_getaffinity(0, sizeof set, &set) != 0)
        return -errno;
    out->count = 0;
    for (int cpu = 0; cpu < CPU_SETSIZE && out->count < CPU_LIST_MAX; cpu++)
        if (CPU_ISSET(cpu, &set))
            out->ids[out->count++] = cpu;
    return 0;
}

int machine_pin(const struct cpu_list *cpus)
{
    cpu_set_t set;
    CPU_ZERO(&set);
    for (size_t i = 0; i < cpus->count; i++)
        CPU_SET(cpus->ids[i], &set);
    /* pid 0 is the calling thread; every thread and child created after
     * this inherits the mask. */
    return sched_setaffinity(0, sizeof set, &set) == 0 ? 0 : -errno;
}

int cpu_list_parse(const char *text, struct cpu_list *out)
{
    out->count = 0;
    const char *p = text;
    while (*p != '\0' && *p != '\n') {
        char *end;
        long first = strtol(p, &end, 10), last = first;
        if (end == p || first < 0)
            return -EINVAL;
        if (*end == '-') {
            p = end + 1;
            last = strtol(p, &end, 10);
            if (end == p || last < first)
                return -EINVAL;
        }
        if (last >= CPU_LIST_MAX)
            return -EINVAL;
        for (long cpu = first; cpu <= last; cpu++) {
            if (out->count > 0 && cpu <= out->ids[out->count - 1])
                return -EINVAL; /* the kernel writes them in increasing order */
            out->ids[out->count++] = (int)cpu;
        }
        p = end;
        if (*p == ',')
            p++;
        else if (*p != '\0' && *p != '\n')
            return -EINVAL;
    }
    return 0;
}

int cpu_list_contains(const struct cpu_list *cpus, int id)
{
    for (size_t i = 0; i < cpus->count; i++)
        if (cpus->ids[i] == id)
            return 1;
    return 0;
}

void cpu_list_format(const struct cpu_list *cpus, char *buf, size_t size)
{
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < cpus->count && used < size; i++) {
        size_t last = i; /* extend a run of consecutive CPUs: 0,1,2,3 -> 0-3 */
        while (last + 1 < cpus->count && cpus->ids[last + 1] == cpus->ids[last] + 1)
            last++;
        const char *comma = i > 0 ? "," : "";
        int n = last > i + 1
                    ? snprintf(buf + used, size - used, "%s%d-%d", comma, cpus->ids[i], cpus->ids[last])
                    : snprintf(buf + used, size - used, "%s%d", comma, cpus->ids[i]);
        if (n < 0)
            break;
        used += (size_t)n;
        if (last > i + 1)
            i = last;
    }
}

void cpu_list_format_brief(const struct cpu_list *cpus, size_t width, char *buf, size_t size)
{
    char full[8 * CPU_LIST_MAX]; /* room for 1024 scattered CPUs: "1023," */
    cpu_list_format(cpus, full, sizeof full);
    if (strlen(full) <= width) {
        snprintf(buf, size, "%s", full);
        return;
    }
    size_t keep = width > 3 ? width - 3 : 0;  /* room for "..." */
    while (keep > 0 && full[keep - 1] != ',') /* whole numbers only: "0,2,...", never "0,1..." */
        keep--;
    snprintf(buf, size, "%.*s...", (int)keep, full);
}
