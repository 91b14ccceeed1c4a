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
# Everything it made is removed on exit, on Ctrl-C and on SIGTERM.
#
# Exit status: mpi_cpu's; 2 for bad usage; 3 when this machine cannot make
# the hosts (not root, no ip or unshare, no rights to make namespaces), so
# that a test can tell "not here" from a failure.
set -euo pipefail

build=build
if [ $# -gt 0 ] && [ "${1#-}" = "$1" ]; then # a first argument that is not a flag
    build=$1
    shift
fi
cannot() {
    echo "two_hosts.sh: cannot make the hosts here: $*" >&2
    exit 3
}
[ "$(id -u)" = 0 ] || cannot "needs root, for network namespaces (sudo $0)"
for program in ip unshare; do
    command -v "$program" > /dev/null || cannot "$program not found (Debian: iproute2, util-linux)"
done
for program in "$build/demos/mpi_cpu" mpirun; do
    command -v "$program" > /dev/null || { echo "two_hosts.sh: $program not found" >&2; exit 2; }
done

# Leftovers of a run that was killed outright (SIGKILL runs no cleanup):
# namespaces named after a process that is gone.
for namespace in $(ip netns list | grep -o '^atonce-\(alpha\|beta\)-[0-9]*' || true); do
    kill -0 "${namespace##*-}" 2> /dev/null || ip netns del "$namespace" || true
done

# Names of this run's own, so that two runs do not collide (an interface
# name has at most 15 characters).
alpha=atonce-alpha-$$ beta=atonce-beta-$$
work=$(mktemp -d)
mpirun_pid=""
cleanup() {
    ip netns del "$alpha" 2> /dev/null || true # deleting a namespace deletes its veth end too
    ip netns del "$beta" 2> /dev/null || true
    rm -rf "$work"
}
# bash runs a trap only once its foreground command has finished, so mpirun
# runs in the background (below) and a signal stops it first.
stop() {
    [ -z "$mpirun_pid" ] || kill -TERM "$mpirun_pid" 2> /dev/null || true
    [ -z "$mpirun_pid" ] || wait "$mpirun_pid" 2> /dev/null || true
    exit "$1"
}
trap cleanup EXIT
trap 'stop 130' INT
trap 'stop 143' TERM

# Two hosts and a cable.
make_hosts() {
    ip netns add "$alpha" && ip netns add "$beta" &&
        ip link add "at$$-a" netns "$alpha" type veth peer name "at$$-b" netns "$beta" &&
        ip -n "$alpha" addr add 10.91.0.1/24 dev "at$$-a" &&
        ip -n "$beta" addr add 10.91.0.2/24 dev "at$$-b" &&
        ip -n "$alpha" link set lo up && ip -n "$alpha" link set "at$$-a" up &&
        ip -n "$beta" link set lo up && ip -n "$beta" link set "at$$-b" up
}
make_hosts || cannot "no rights to make network namespaces and a veth pair"

# The stand-in for ssh: "rsh ADDRESS COMMAND..." runs COMMAND on that host
# through a shell, as sshd does: mpirun hands it one command line to run.
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
# mpirun itself on alpha, its arguments passed as they are (no shell line).
ip netns exec "$alpha" unshare --uts sh -c 'hostname alpha && exec "$@"' sh \
    mpirun --mca plm_rsh_agent "$work/rsh" --hostfile "$work/hosts" -np 2 --bind-to none \
    "$build/demos/mpi_cpu" "$@" &
mpirun_pid=$!
status=0
wait "$mpirun_pid" || status=$?
mpirun_pid=""
exit "$status"
