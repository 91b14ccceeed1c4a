#include "machine.h"

#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

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

int machine_read(struct machine *m)
{
    struct utsname names;
    if (uname(&names) != 0)
        return -errno;
    snprintf(m->kernel, sizeof m->kernel, "%s", names.release);
    long online = sysconf(_SC_NPROCESSORS_ONLN);
    m->cpus_online = online > 0 ? (int)online : 1;
    return machine_allowed_cpus(&m->allowed);
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
