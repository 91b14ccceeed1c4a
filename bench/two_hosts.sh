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

work=$(mktemp -d)
cleanup() {
    ip netns del atonce-alpha 2> /dev/null || true # deleting a namespace deletes its veth end too
    ip netns del atonce-beta 2> /dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

# Two hosts and a cable.
ip netns add atonce-alpha
ip netns add atonce-beta
ip link add atonce-a type veth peer name atonce-b
ip link set atonce-a netns atonce-alpha
ip link set atonce-b netns atonce-beta
ip -n atonce-alpha addr add 10.91.0.1/24 dev atonce-a
ip -n atonce-beta addr add 10.91.0.2/24 dev atonce-b
for host in alpha beta; do
    ip -n atonce-$host link set lo up
    ip -n atonce-$host link set atonce-${host:0:1} up
done

# The stand-in for ssh: "rsh ADDRESS COMMAND..." runs COMMAND on that host,
# through a shell, as sshd would. mpirun itself is started on alpha with it.
cat > "$work/rsh" << 'EOF'
#!/bin/sh
case $1 in 10.91.0.1) host=alpha ;; 10.91.0.2) host=beta ;; *) echo "rsh: unknown host $1" >&2; exit 255 ;; esac
shift
exec ip netns exec atonce-$host unshare --uts sh -c "hostname $host; $*"
EOF
chmod +x "$work/rsh"

# One line per host, slots = the ranks it may take: as in note 15's hostfile.
printf '10.91.0.1 slots=1\n10.91.0.2 slots=1\n' > "$work/hosts"

export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
echo "# on alpha; mpirun starts beta's rank through the agent"
echo "\$ mpirun --hostfile hosts -np 2 --bind-to none $build/demos/mpi_cpu${*:+ $*}"
"$work/rsh" 10.91.0.1 mpirun --mca plm_rsh_agent "$work/rsh" --hostfile "$work/hosts" -np 2 --bind-to none \
    "$build/demos/mpi_cpu" "$@"
