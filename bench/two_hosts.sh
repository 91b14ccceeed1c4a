#!/bin/bash
# two_hosts.sh: mpi_cpu across two pretend hosts on this one machine, for
# note 15 when there is no second machine at hand.
#
#   sudo bench/two_hosts.sh [BUILD_DIR] [mpi_cpu flags...]     (BUILD_DIR: build)
#
# Each host is a network namespace with its own hostname (alpha, beta), its
# own address (10.91.0.1, 10.91.0.2) and a virtual cable (veth) between them,
# so Open MPI talks TCP from one to the other as between two machines. They
# share this machine's disk, so the binary has the same path on both, as
# note 15 asks of real hosts. mpirun starts the other host's daemon through
# an agent: normally ssh; here a small script that enters beta's namespace.
#
# Two things differ from real hosts, and both are why the flags are so:
# the hosts share this machine's CPUs, so mpirun must not bind (each host
# would put its rank on "its" CPU 0, the same CPU: --bind-to none); and
# the run needs root (ip netns), so Open MPI's root variables are set.
# Everything it made is removed on exit.
set -euo pipefail

build=${1:-build}
shift || true
if [ "$(id -u)" != 0 ]; then
    echo "two_hosts.sh: needs root, to make network namespaces (sudo $0)" >&2
    exit 2
fi
for program in "$build/demos/mpi_cpu" mpirun ip unshare; do
    command -v "$program" > /dev/null || { echo "two_hosts.sh: $program not found" >&2; exit 2; }
done

# Names of this run's own, so that two runs, or the leftovers of a killed
# one, do not collide (an interface name has at most 15 characters).
alpha=atonce-alpha-$$ beta=atonce-beta-$$
work=$(mktemp -d)
cleanup() {
    ip netns del "$alpha" 2> /dev/null || true # deleting a namespace deletes its veth end too
    ip netns del "$beta" 2> /dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT # so that Ctrl-C and SIGTERM clean up too
trap 'exit 143' TERM

# Two hosts and a cable. Exit status 3 when this machine does not allow them
# (a container without the rights, a kernel without veth): a test then skips.
make_hosts() {
    ip netns add "$alpha" && ip netns add "$beta" &&
        ip link add "at$$-a" netns "$alpha" type veth peer name "at$$-b" netns "$beta" &&
        ip -n "$alpha" addr add 10.91.0.1/24 dev "at$$-a" &&
        ip -n "$beta" addr add 10.91.0.2/24 dev "at$$-b" &&
        ip -n "$alpha" link set lo up && ip -n "$alpha" link set "at$$-a" up &&
        ip -n "$beta" link set lo up && ip -n "$beta" link set "at$$-b" up
}
if ! make_hosts; then
    echo "two_hosts.sh: this machine does not let us make network namespaces and a veth pair" >&2
    exit 3
fi

# The stand-in for ssh: "rsh ADDRESS COMMAND..." runs COMMAND on that host,
# through a shell, as sshd would. mpirun itself is started on alpha with it.
cat > "$work/rsh" << EOF
#!/bin/sh
case \$1 in
10.91.0.1) host=alpha namespace=$alpha ;;
10.91.0.2) host=beta namespace=$beta ;;
*) echo "rsh: unknown host \$1" >&2; exit 255 ;;
esac
shift
exec ip netns exec "\$namespace" unshare --uts sh -c "hostname \$host; \$*"
EOF
chmod +x "$work/rsh"

# One line per host, slots = the ranks it may take: as in note 15's hostfile.
printf '10.91.0.1 slots=1\n10.91.0.2 slots=1\n' > "$work/hosts"

export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
# What it runs, on stderr, so that with --json stdout is the JSON alone.
echo "# on alpha; mpirun starts beta's rank through the agent" >&2
echo "\$ mpirun --hostfile hosts -np 2 --bind-to none $build/demos/mpi_cpu${*:+ $*}" >&2
"$work/rsh" 10.91.0.1 mpirun --mca plm_rsh_agent "$work/rsh" --hostfile "$work/hosts" -np 2 --bind-to none \
    "$build/demos/mpi_cpu" "$@"
